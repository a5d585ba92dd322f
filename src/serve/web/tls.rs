//! `--tls-cert FILE --tls-key FILE`: the class page over `https://` (rustls, the ring provider
//! russh already builds). The files are read and checked before the class starts, so a wrong
//! file is a clear message on the teacher's terminal rather than a broken page in thirty
//! browsers: each file is named with what is wrong with it (missing, not PEM, no certificate or
//! no key in it, a key that does not belong to the certificate).
//!
//! The handshake itself runs on the connection's own task ([`super::listener`]), under the
//! same handshake deadline and connection cap as plain HTTP, so a client that stalls in the
//! middle of a TLS handshake holds its place only until the deadline.

use std::path::Path;
use std::sync::Arc;

use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::pem::{self, PemObject};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

use crate::files;

/// A certificate chain or a key file is small (a few KiB); a larger file is not one.
const PEM_LIMIT: u64 = 1024 * 1024;

/// The acceptor for `cert` (a PEM certificate chain, the server's own certificate first) and
/// `key` (its PEM private key: PKCS#8, PKCS#1 or SEC1).
pub fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, String> {
    let chain = certificates(cert)?;
    let private = private_key(key)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| mismatch(cert, key, &e))?;
    // HTTP/1.1 only, as the plain server (a browser that offers h2 falls back to it).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>, String> {
    files::read_regular(path, PEM_LIMIT).map_err(|e| {
        if e.is_missing() {
            format!("cannot read the TLS {what} {}: there is no such file", path.display())
        } else {
            format!("cannot read the TLS {what} {}: {e}", path.display())
        }
    })
}

/// Every certificate in the file, in order.
fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = read(path, "certificate")?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| not_pem(path, "certificate", &e))?;
    if chain.is_empty() {
        let key_instead = PrivateKeyDer::from_pem_slice(&bytes).is_ok();
        return Err(format!(
            "the TLS certificate {} holds no certificate{} (expected PEM: \
             -----BEGIN CERTIFICATE-----, the server's certificate first, then its chain)",
            path.display(),
            if key_instead { ", only a private key: is it the key file?" } else { "" }
        ));
    }
    Ok(chain)
}

fn private_key(path: &Path) -> Result<PrivateKeyDer<'static>, String> {
    let bytes = read(path, "key")?;
    match PrivateKeyDer::from_pem_slice(&bytes) {
        Ok(key) => Ok(key),
        Err(pem::Error::NoItemsFound) => {
            let cert_instead = CertificateDer::pem_slice_iter(&bytes).next().is_some();
            Err(format!(
                "the TLS key {} holds no private key{} (expected PEM: -----BEGIN PRIVATE KEY-----, \
                 RSA PRIVATE KEY or EC PRIVATE KEY, not encrypted)",
                path.display(),
                if cert_instead { ", only a certificate: is it the certificate file?" } else { "" }
            ))
        }
        Err(e) => Err(not_pem(path, "key", &e)),
    }
}

fn not_pem(path: &Path, what: &str, e: &pem::Error) -> String {
    format!("the TLS {what} {} is not valid PEM: {e}", path.display())
}

fn mismatch(cert: &Path, key: &Path, e: &rustls::Error) -> String {
    match e {
        rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch) => format!(
            "the TLS key {} does not belong to the certificate {} (its public key is not the \
             certificate's): give the key the certificate was issued for",
            key.display(),
            cert.display()
        ),
        _ => format!(
            "cannot use the TLS certificate {} with the key {}: {e}",
            cert.display(),
            key.display()
        ),
    }
}
