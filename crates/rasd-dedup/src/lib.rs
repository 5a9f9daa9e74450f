//! rasd-dedup (being written).
