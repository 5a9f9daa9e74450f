//! rasd-stories (being written).
