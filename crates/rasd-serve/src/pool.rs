//! A small pool of read-only stores, each behind its own mutex.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use rasd_store::Store;

struct Reader {
    store: Store,
    /// The write generation this reader's search index was last reloaded at.
    seen: u64,
    /// When it was last reloaded (another process may write to the store too).
    at: Instant,
}

/// How stale a reader's view of the index may get when another process writes.
const RELOAD_EVERY: Duration = Duration::from_secs(2);

pub(crate) struct ReaderPool {
    readers: Vec<Mutex<Reader>>,
    next: AtomicUsize,
    /// Bumped after every write, so readers know to reload their index.
    generation: AtomicU64,
}

impl ReaderPool {
    pub(crate) fn new(stores: Vec<Store>) -> ReaderPool {
        ReaderPool {
            readers: stores
                .into_iter()
                .map(|store| {
                    Mutex::new(Reader {
                        store,
                        seen: 0,
                        at: Instant::now(),
                    })
                })
                .collect(),
            next: AtomicUsize::new(0),
            generation: AtomicU64::new(0),
        }
    }

    /// Marks the index as changed: each reader reloads before its next use.
    pub(crate) fn bump(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Runs `f` with a free reader (blocking: call from a blocking thread).
    pub(crate) fn with<T>(&self, f: impl FnOnce(&Store) -> T) -> rasd_store::Result<T> {
        let n = self.readers.len().max(1);
        let start = self.next.fetch_add(1, Ordering::Relaxed) % n;
        let mut guard: Option<MutexGuard<'_, Reader>> = None;
        for i in 0..n {
            if let Some(m) = self.readers.get((start + i) % n) {
                if let Ok(g) = m.try_lock() {
                    guard = Some(g);
                    break;
                }
            }
        }
        let mut guard = match guard {
            Some(g) => g,
            None => match self.readers.get(start) {
                // A panic while holding a reader leaves a usable store: take it back.
                Some(m) => m.lock().unwrap_or_else(PoisonError::into_inner),
                None => {
                    return Err(rasd_store::StoreError::Corrupt(
                        "no reader in the pool".into(),
                    ))
                }
            },
        };
        let gen = self.generation.load(Ordering::SeqCst);
        if guard.seen != gen || guard.at.elapsed() > RELOAD_EVERY {
            guard.store.reload()?;
            guard.seen = gen;
            guard.at = Instant::now();
        }
        Ok(f(&guard.store))
    }
}
