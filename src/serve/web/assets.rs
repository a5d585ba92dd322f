//! The files the page loads, embedded in the binary: xterm.js and its fit addon from
//! vendor/xterm/ (third-party, MIT, pinned by scripts/refresh-xterm.sh and checked against
//! vendor/xterm/MANIFEST by a test below) and our own page, style and glue from `page/`.
//! Each is gzip-compressed once, on first use, for the browsers that accept it.

use std::sync::OnceLock;

use flate2::Compression;
use flate2::write::GzEncoder;

/// One file the server hands out.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
    gzipped: OnceLock<Vec<u8>>,
}

impl Asset {
    const fn new(name: &'static str, content_type: &'static str, bytes: &'static [u8]) -> Self {
        Self { name, content_type, bytes, gzipped: OnceLock::new() }
    }

    /// The file gzip-compressed (made once).
    pub fn gzipped(&self) -> &[u8] {
        self.gzipped.get_or_init(|| {
            use std::io::Write;
            let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
            // Writing to memory cannot fail.
            let _ = encoder.write_all(self.bytes);
            encoder.finish().unwrap_or_default()
        })
    }

    /// A validator for `If-None-Match`: the content's hash, so a new build's files are new.
    pub fn etag(&self) -> String {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        self.bytes.hash(&mut hasher);
        format!("\"{:016x}\"", hasher.finish())
    }
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// The page itself (served at `/`).
pub static PAGE: Asset =
    Asset::new("index.html", "text/html; charset=utf-8", include_bytes!("page/index.html"));

/// Everything under `/assets/`.
pub static ASSETS: [Asset; 5] = [
    Asset::new("xterm.mjs", JS, include_bytes!("../../../vendor/xterm/xterm.mjs")),
    Asset::new("addon-fit.mjs", JS, include_bytes!("../../../vendor/xterm/addon-fit.mjs")),
    Asset::new("xterm.css", CSS, include_bytes!("../../../vendor/xterm/xterm.css")),
    Asset::new("page.js", JS, include_bytes!("page/page.js")),
    Asset::new("page.css", CSS, include_bytes!("page/page.css")),
];

/// The asset of that name.
pub fn find(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.name == name)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use sha2::{Digest, Sha256};

    use super::*;

    const MANIFEST: &str = include_str!("../../../vendor/xterm/MANIFEST");

    /// Every vendored file is the one scripts/refresh-xterm.sh fetched and recorded: an edit
    /// by hand, or a refresh without the manifest, fails here.
    #[test]
    fn vendored_xterm_matches_its_manifest() {
        let vendored = [
            ("xterm.mjs", find("xterm.mjs").map(|a| a.bytes)),
            ("addon-fit.mjs", find("addon-fit.mjs").map(|a| a.bytes)),
            ("xterm.css", find("xterm.css").map(|a| a.bytes)),
            ("LICENSE-xterm", Some(&include_bytes!("../../../vendor/xterm/LICENSE-xterm")[..])),
            (
                "LICENSE-addon-fit",
                Some(&include_bytes!("../../../vendor/xterm/LICENSE-addon-fit")[..]),
            ),
        ];
        for (name, bytes) in vendored {
            let bytes = bytes.unwrap_or_else(|| panic!("{name} is not served"));
            let line = MANIFEST
                .lines()
                .find(|l| l.starts_with(&format!("file {name} ")))
                .unwrap_or_else(|| panic!("{name} is not in vendor/xterm/MANIFEST"));
            let recorded = line.rsplit(' ').next().unwrap_or_default();
            let actual: String = Sha256::digest(bytes).iter().fold(String::new(), |mut hex, b| {
                use std::fmt::Write;
                let _ = write!(hex, "{b:02x}");
                hex
            });
            assert_eq!(actual, recorded, "vendor/xterm/{name} is not the file in MANIFEST");
        }
        for package in ["@xterm/xterm", "@xterm/addon-fit"] {
            let line = MANIFEST
                .lines()
                .find(|l| l.starts_with(&format!("package {package} ")))
                .unwrap_or_else(|| panic!("{package} has no version in MANIFEST"));
            assert!(line.contains(" sha512-"), "{package}: no integrity hash: {line}");
        }
        let license =
            String::from_utf8_lossy(include_bytes!("../../../vendor/xterm/LICENSE-xterm"));
        assert!(license.contains("MIT") || license.contains("Permission is hereby granted"));
    }

    #[test]
    fn compressed_assets_unpack_to_the_originals_and_are_smaller() {
        for asset in ASSETS.iter().chain([&PAGE]) {
            let mut unpacked = Vec::new();
            flate2::read::GzDecoder::new(asset.gzipped()).read_to_end(&mut unpacked).unwrap();
            assert_eq!(unpacked, asset.bytes, "{}", asset.name);
            assert!(asset.gzipped().len() < asset.bytes.len(), "{}", asset.name);
        }
        let xterm = find("xterm.mjs").unwrap();
        assert!(xterm.gzipped().len() < xterm.bytes.len() / 3, "xterm.js compresses well");
    }

    /// The page works on a LAN with no internet: nothing it loads comes from elsewhere.
    #[test]
    fn our_files_ask_for_nothing_outside_the_server() {
        for asset in [&PAGE, find("page.js").unwrap(), find("page.css").unwrap()] {
            let text = String::from_utf8_lossy(asset.bytes);
            for outside in ["http://", "https://", "//cdn", "@import"] {
                assert!(!text.contains(outside), "{} mentions {outside}", asset.name);
            }
        }
    }
}
