//! One simulated SSH student for the load example: a russh client with a pty of the given
//! size, and a terminal emulator fed by a reader task, with a counter of frames and of bytes
//! received. A heavy client ([`SshStudent::join_heavy`]) reads and counts its frames without
//! emulating a terminal, so that its own work does not take the machine's cores from the server.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use russh::client;
use tokio::sync::watch;

/// Accepts the server's host key: the server is this example's own child, over loopback.
pub struct Trusting;

impl client::Handler for Trusting {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

pub struct SshStudent {
    channel: russh::ChannelWriteHalf<client::Msg>,
    /// The connection, kept open for as long as the student is.
    _handle: client::Handle<Trusting>,
    pub screen: Arc<Mutex<vt100::Parser>>,
    pub frames: watch::Receiver<u64>,
    pub bytes: Arc<AtomicU64>,
}

impl SshStudent {
    pub async fn join(
        port: u16,
        name: String,
        code: &str,
        size: (u16, u16),
    ) -> Result<Self, String> {
        Self::connect(port, name, code, size, true).await
    }

    /// A client with a big window that reads everything it is sent but keeps no screen.
    pub async fn join_heavy(
        port: u16,
        name: String,
        code: &str,
        size: (u16, u16),
    ) -> Result<Self, String> {
        Self::connect(port, name, code, size, false).await
    }

    async fn connect(
        port: u16,
        name: String,
        code: &str,
        (cols, rows): (u16, u16),
        emulate: bool,
    ) -> Result<Self, String> {
        let config = Arc::new(client::Config::default());
        let mut handle = client::connect(config, ("127.0.0.1", port), Trusting)
            .await
            .map_err(|e| e.to_string())?;
        let auth = handle.authenticate_password(name, code).await.map_err(|e| e.to_string())?;
        if !auth.success() {
            return Err("the code was refused".into());
        }
        let channel = handle.channel_open_session().await.map_err(|e| e.to_string())?;
        channel
            .request_pty(false, "xterm-256color", cols.into(), rows.into(), 0, 0, &[])
            .await
            .map_err(|e| e.to_string())?;
        channel.request_shell(false).await.map_err(|e| e.to_string())?;
        let (mut read, write) = channel.split();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            rows.try_into().unwrap(),
            cols.try_into().unwrap(),
            0,
        )));
        let (tx, frames) = watch::channel(0u64);
        let bytes = Arc::new(AtomicU64::new(0));
        let (sink, counted) = (Arc::clone(&screen), Arc::clone(&bytes));
        tokio::spawn(async move {
            while let Some(msg) = read.wait().await {
                if let russh::ChannelMsg::Data { data } = msg {
                    counted.fetch_add(data.len() as u64, Ordering::Relaxed);
                    if emulate {
                        sink.lock().unwrap().process(&data);
                    }
                    tx.send_modify(|n| *n += 1);
                }
            }
        });
        Ok(Self { channel: write, _handle: handle, screen, frames, bytes })
    }

    pub async fn send(&self, bytes: &[u8]) {
        let _ = self.channel.data_bytes(bytes.to_vec()).await;
    }
}
