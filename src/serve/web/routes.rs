//! The HTTP side: the page at `/`, its files under `/assets/`, the class socket at `/ws`,
//! and the headers every response carries: a strict Content-Security-Policy (scripts and
//! sockets from this server only), no MIME sniffing, no referrer, no framing, no caching of
//! the page (a new class must never show yesterday's page).

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::Web;
use super::assets::{self, Asset};
use super::socket;

pub fn router(web: Arc<Web>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/assets/{file}", get(asset))
        .route("/ws", get(socket::upgrade))
        .fallback(not_found)
        .layer(axum::middleware::map_response(secure))
        .with_state(web)
}

/// Scripts, styles and sockets only from this server. xterm.js writes its colours into a
/// `<style>` element it creates, so styles (not scripts) may be inline.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   connect-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; \
                   form-action 'none'; frame-ancestors 'none'";

async fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}

async fn page(headers: HeaderMap) -> Response {
    serve(&assets::PAGE, &headers, "no-store")
}

async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    match assets::find(&file) {
        // Checked on every use (ETag), so a new build's files are never stale.
        Some(asset) => serve(asset, &headers, "no-cache"),
        None => not_found().await,
    }
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not here: the class page is at /\n").into_response()
}

/// One file, compressed when the browser accepts gzip, `304` when it has it already.
fn serve(asset: &'static Asset, request: &HeaderMap, cache: &'static str) -> Response {
    let etag = asset.etag();
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    let has_it = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    if has_it {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    let gzip = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    if gzip {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        (headers, asset.gzipped()).into_response()
    } else {
        (headers, asset.bytes).into_response()
    }
}
