//! rasd-arabic (being written).
