//! An SSH channel as the runner's [`Outlet`]: frames go out as channel data (russh waits for
//! the client's window, which is how a slow reader shows), and the end of a session is an exit
//! status, EOF and close, so `ssh` returns to the student's prompt.

use std::io;

use russh::ChannelWriteHalf;
use russh::server::Msg;

use crate::serve::runner::Outlet;

pub struct ChannelOutlet(pub ChannelWriteHalf<Msg>);

impl Outlet for ChannelOutlet {
    async fn send(&mut self, bytes: Vec<u8>) -> io::Result<()> {
        self.0.data_bytes(bytes).await.map_err(|e| io::Error::new(io::ErrorKind::BrokenPipe, e))
    }

    async fn close(&mut self, status: u32) {
        let _ = self.0.exit_status(status).await;
        let _ = self.0.eof().await;
        let _ = self.0.close().await;
    }
}
