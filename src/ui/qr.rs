//! The console's QR code of the class page (`j` with `--web`): phones scan it from the
//! projector instead of typing the address. Each character cell holds two modules (the upper
//! and lower half block), which is square on a terminal's tall cells; a quiet zone of four
//! modules surrounds it, as scanners need. When the window cannot hold it, it says so and
//! shows the address instead.

use qrcode::{Color as Module, EcLevel, QrCode};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use crate::app::JoinInfo;

use super::theme::Theme;

/// The quiet zone around the code, in modules.
const QUIET: usize = 4;

/// The page's address among the join lines (the first `http` one).
pub fn page_url(join: &JoinInfo) -> Option<&str> {
    join.lines.iter().map(String::as_str).find(|l| l.starts_with("http"))
}

/// The code as rows of characters, two modules a cell; `dark` says which modules are drawn
/// as ink (the dark ones on a light background; the light ones when the terminal's own
/// colours are used, which are light on dark on most projectors' terminals).
pub fn rows(url: &str, ink_is_dark: bool) -> Option<Vec<String>> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let side = width + 2 * QUIET;
    let ink = |x: usize, y: usize| -> bool {
        let dark = x >= QUIET
            && y >= QUIET
            && x < QUIET + width
            && y < QUIET + width
            && colors[(y - QUIET) * width + (x - QUIET)] == Module::Dark;
        dark == ink_is_dark
    };
    let mut rows = Vec::new();
    for y in (0..side).step_by(2) {
        let row: String = (0..side)
            .map(|x| match (ink(x, y), y + 1 < side && ink(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            })
            .collect();
        rows.push(row);
    }
    Some(rows)
}

/// Fills `area` with the QR code of the page, its address and the code, or says why not.
pub fn join_page(join: &JoinInfo, area: Rect, buf: &mut Buffer, theme: &Theme) {
    Clear.render(area, buf);
    let code =
        join.code.as_deref().map_or_else(|| "open class".to_owned(), |c| format!("code {c}"));
    let Some(url) = page_url(join) else {
        let text = vec![
            Line::styled("No class page", theme.title),
            Line::from(
                "Start the class with --web to let browsers join; then j shows its QR code.",
            ),
            Line::styled("j or Esc closes this", theme.muted),
        ];
        Paragraph::new(text).wrap(Wrap { trim: true }).style(theme.base).render(area, buf);
        return;
    };
    let style = theme.qr_code();
    let Some(rows) = rows(url, style.is_some()) else { return };
    let height = rows.len() as u16 + 2;
    let width = rows.first().map_or(0, |r| r.chars().count()) as u16;
    if height > area.height || width > area.width {
        let text = vec![
            Line::styled("The window is too small for the QR code", theme.title),
            Line::from(format!(
                "It needs {width}×{height}; this window is {}×{}. Make the window or the projector's \
                 font bigger, or have students type:",
                area.width, area.height
            )),
            Line::styled(format!("{url} · {code}"), theme.title),
            Line::styled("j or Esc closes this", theme.muted),
        ];
        Paragraph::new(text).wrap(Wrap { trim: true }).style(theme.base).render(area, buf);
        return;
    }
    let top = area.y + (area.height - height) / 2;
    let left = area.x + (area.width - width) / 2;
    let caption = |buf: &mut Buffer, y: u16, text: String, style: Style| {
        Line::styled(text, style).centered().render(Rect::new(area.x, y, area.width, 1), buf);
    };
    caption(buf, top, format!("Scan to join: {url} · {code}"), theme.title);
    for (i, row) in rows.iter().enumerate() {
        let y = top + 1 + i as u16;
        buf.set_string(left, y, row, style.unwrap_or(theme.base));
    }
    caption(buf, top + height - 1, "j or Esc closes this".to_owned(), theme.muted);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme_name::ThemeName;

    fn join(url: &str) -> JoinInfo {
        JoinInfo {
            lines: vec!["ssh -p 2222 NAME@192.168.1.20".into(), url.into()],
            code: Some("k7q2xm".into()),
            ..JoinInfo::default()
        }
    }

    fn text(buf: &Buffer) -> String {
        let area = buf.area;
        (0..area.height)
            .map(|y| (0..area.width).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The code drawn decodes back to the address: read the modules off the characters.
    #[test]
    fn the_drawn_code_holds_the_page_address() {
        let url = "http://192.168.100.200:8080";
        let rows = rows(url, true).unwrap();
        let side = rows[0].chars().count();
        let mut modules = vec![vec![false; side]; rows.len() * 2];
        for (y, row) in rows.iter().enumerate() {
            for (x, c) in row.chars().enumerate() {
                modules[2 * y][x] = matches!(c, '█' | '▀');
                modules[2 * y + 1][x] = matches!(c, '█' | '▄');
            }
        }
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
        let width = code.width();
        assert_eq!(side, width + 2 * QUIET);
        let colors = code.to_colors();
        for y in 0..width {
            for x in 0..width {
                let dark = colors[y * width + x] == Module::Dark;
                assert_eq!(modules[y + QUIET][x + QUIET], dark, "module {x},{y}");
            }
        }
        assert!(modules[..QUIET].iter().all(|r| r.iter().all(|m| !m)), "a clear quiet zone");
    }

    #[test]
    fn at_80x24_the_code_fits_and_a_tiny_window_says_it_does_not() {
        let theme = Theme::new(ThemeName::Dark);
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
        join_page(&join("http://192.168.100.200:8080"), buf.area, &mut buf, &theme);
        let shown = text(&buf);
        assert!(
            shown.contains("Scan to join: http://192.168.100.200:8080 · code k7q2xm"),
            "{shown}"
        );
        assert!(shown.contains('█'), "{shown}");
        assert_eq!(buf[(40, 5)].style().bg, theme.qr_code().unwrap().bg, "dark on light");

        let mut small = Buffer::empty(Rect::new(0, 0, 40, 12));
        join_page(&join("http://192.168.100.200:8080"), small.area, &mut small, &theme);
        let shown = text(&small);
        assert!(shown.contains("too small"), "{shown}");
        assert!(shown.contains("http://192.168.100.200:8080"), "the address instead:\n{shown}");
        assert!(!shown.contains('█'));
    }

    #[test]
    fn without_the_web_it_says_how_to_get_a_page() {
        let theme = Theme::new(ThemeName::Dark);
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
        let join = JoinInfo { lines: vec!["ssh -p 2222 NAME@10.0.0.2".into()], ..join("") };
        join_page(&join, buf.area, &mut buf, &theme);
        assert!(text(&buf).contains("--web"));
    }
}
