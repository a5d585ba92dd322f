//! An accept loop running on its own task, as every transport starts one: stopping it ends the
//! loop only, and the sessions it started go on until they end.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// A running accept loop and the means to stop it.
pub struct Accepting {
    stop: Arc<Notify>,
    task: JoinHandle<()>,
}

impl Accepting {
    /// Spawns the loop that `run` makes; it is given the signal to watch for the stop.
    pub fn spawn<F>(run: impl FnOnce(Arc<Notify>) -> F) -> Self
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let stop = Arc::new(Notify::new());
        let task = tokio::spawn(run(Arc::clone(&stop)));
        Self { stop, task }
    }

    /// Stops accepting and waits for the loop to end.
    pub async fn stop(self) {
        self.stop.notify_one();
        let _ = self.task.await;
    }
}
