//! Every style of the program, per theme. No colour literal appears anywhere else.
//! Colour is never the only carrier of meaning: labels, symbols and marks say it in words
//! or shapes too, so the mono theme loses nothing but colour.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use crate::course::{Emphasis, Tone};
use crate::diagram::{DiagramRole, NodeStyle};
use crate::geometry::text::{Look, TextLine};
use crate::page::Role;

pub use crate::theme_name::ThemeName;

/// The palette a theme is built from.
struct Palette {
    fg: Color,
    bg: Color,
    muted: Color,
    accent: Color,
    context: Color,
    note: Color,
    tip: Color,
    warning: Color,
    wrong: Color,
    selection_fg: Color,
    selection_bg: Color,
    bar_bg: Color,
}

/// Styles for each part of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub name: ThemeName,
    /// Text and background of the whole screen.
    pub base: Style,
    pub muted: Style,
    pub title: Style,
    /// The header and footer bars.
    pub bar: Style,
    pub bar_key: Style,
    pub selected: Style,
    /// The mark beside a section that has been read.
    pub read_mark: Style,
    pub disclaimer: Style,
    pub border: Style,
    pub scrollbar: Style,
    /// Quiz verdicts; each always comes with a symbol and a word too.
    pub right: Style,
    pub wrong: Style,
    pub partly: Style,
    /// A search match: reversed, so it shows in every theme.
    pub found: Style,
    context: Color,
    note: Color,
    tip: Color,
    warning: Color,
    accent: Color,
    wrong_color: Color,
}

impl Theme {
    /// A QR code's modules: dark on light whatever the theme, as scanners expect; `None`
    /// without colour (the code is then drawn by characters alone).
    pub fn qr_code(&self) -> Option<Style> {
        (self.name != ThemeName::Mono).then(|| Style::new().fg(Color::Black).bg(Color::White))
    }

    pub fn new(name: ThemeName) -> Self {
        let palette = match name {
            ThemeName::Dark => Palette {
                fg: Color::Reset,
                bg: Color::Reset,
                muted: Color::Gray,
                accent: Color::LightCyan,
                context: Color::LightMagenta,
                note: Color::LightBlue,
                tip: Color::LightGreen,
                warning: Color::LightYellow,
                wrong: Color::LightRed,
                selection_fg: Color::Black,
                selection_bg: Color::LightCyan,
                bar_bg: Color::Indexed(236),
            },
            ThemeName::Light => Palette {
                fg: Color::Rgb(0x1f, 0x23, 0x28),
                bg: Color::Rgb(0xfa, 0xfa, 0xf7),
                muted: Color::Rgb(0x57, 0x60, 0x6a),
                accent: Color::Rgb(0x0b, 0x5c, 0xad),
                context: Color::Rgb(0x8a, 0x2b, 0x8f),
                note: Color::Rgb(0x0b, 0x5c, 0xad),
                tip: Color::Rgb(0x1a, 0x7f, 0x37),
                warning: Color::Rgb(0x9a, 0x4d, 0x00),
                wrong: Color::Rgb(0xb3, 0x1d, 0x28),
                selection_fg: Color::Rgb(0xff, 0xff, 0xff),
                selection_bg: Color::Rgb(0x0b, 0x5c, 0xad),
                bar_bg: Color::Rgb(0xe6, 0xe8, 0xeb),
            },
            // Pure black and white with the brightest accents: every text/background pair is
            // at least 7:1 (white 21:1, yellow 19.6:1, cyan 16.7:1, pink 9.8:1, light red 10.3:1).
            ThemeName::HighContrast => Palette {
                fg: Color::Rgb(0xff, 0xff, 0xff),
                bg: Color::Rgb(0, 0, 0),
                muted: Color::Rgb(0xff, 0xff, 0xff),
                accent: Color::Rgb(0xff, 0xff, 0x00),
                context: Color::Rgb(0xff, 0x80, 0xff),
                note: Color::Rgb(0x00, 0xff, 0xff),
                tip: Color::Rgb(0x00, 0xff, 0x00),
                warning: Color::Rgb(0xff, 0xff, 0x00),
                wrong: Color::Rgb(0xff, 0x99, 0x99),
                selection_fg: Color::Rgb(0, 0, 0),
                selection_bg: Color::Rgb(0xff, 0xff, 0x00),
                bar_bg: Color::Rgb(0, 0, 0),
            },
            ThemeName::Mono => Palette {
                fg: Color::Reset,
                bg: Color::Reset,
                muted: Color::Reset,
                accent: Color::Reset,
                context: Color::Reset,
                note: Color::Reset,
                tip: Color::Reset,
                warning: Color::Reset,
                wrong: Color::Reset,
                selection_fg: Color::Reset,
                selection_bg: Color::Reset,
                bar_bg: Color::Reset,
            },
        };
        let mono = name == ThemeName::Mono;
        let base = Style::new().fg(palette.fg).bg(palette.bg);
        let selected = if mono {
            base.add_modifier(Modifier::REVERSED)
        } else {
            base.fg(palette.selection_fg).bg(palette.selection_bg).add_modifier(Modifier::BOLD)
        };
        let bar = if mono || name == ThemeName::HighContrast {
            base.add_modifier(Modifier::REVERSED)
        } else {
            base.bg(palette.bar_bg)
        };
        Self {
            name,
            base,
            muted: base.fg(palette.muted),
            title: base.fg(palette.accent).add_modifier(Modifier::BOLD),
            bar,
            bar_key: bar.add_modifier(Modifier::BOLD),
            selected,
            read_mark: base.fg(palette.tip).add_modifier(Modifier::BOLD),
            disclaimer: base.fg(palette.warning).add_modifier(Modifier::BOLD),
            border: base.fg(palette.muted),
            scrollbar: base.fg(palette.accent),
            right: base.fg(palette.tip).add_modifier(Modifier::BOLD),
            wrong: base.fg(palette.wrong).add_modifier(Modifier::BOLD),
            partly: base.fg(palette.warning).add_modifier(Modifier::BOLD),
            found: base.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            context: palette.context,
            note: palette.note,
            tip: palette.tip,
            warning: palette.warning,
            accent: palette.accent,
            wrong_color: palette.wrong,
        }
    }

    /// The style of a piece of a page: its role and emphasis, underlined where it is a
    /// glossary term (its definition is a key or a click away).
    pub fn piece(&self, piece: &crate::page::Piece) -> Style {
        let mut style = self.role(piece.role, piece.emphasis);
        if piece.term.is_some() {
            style = style.add_modifier(Modifier::UNDERLINED);
        }
        // Parts of a diagram the current step is not about fade back.
        if piece.dim {
            style = style.add_modifier(Modifier::DIM);
        }
        style
    }

    /// The style of a piece of page text.
    pub fn role(&self, role: Role, emphasis: Emphasis) -> Style {
        let base = self.base;
        let style = match role {
            Role::Title | Role::Offer => base.fg(self.accent).add_modifier(Modifier::BOLD),
            Role::Heading | Role::KeyPointsTitle => base.add_modifier(Modifier::BOLD),
            Role::Body | Role::CalloutBody | Role::Bullet | Role::KeyPoint => base,
            Role::CalloutMark(tone) | Role::CalloutTitle(tone) => base.fg(self.tone(tone)),
            Role::ContextMark | Role::ContextTitle => base.fg(self.context),
            // Context notes are set in italics as well as colour, so they read as apart from
            // the article's own text in every theme.
            Role::ContextBody => base.add_modifier(Modifier::ITALIC),
            Role::Source => self.muted.add_modifier(Modifier::ITALIC),
            Role::Diagram(part) => self.diagram(part),
        };
        match emphasis {
            Emphasis::Plain => style,
            Emphasis::Italic if role == Role::ContextBody => style.add_modifier(Modifier::BOLD),
            Emphasis::Italic => style.add_modifier(Modifier::ITALIC),
            Emphasis::Bold => style.add_modifier(Modifier::BOLD),
            // Without colour, reverse video is the one mark left that nothing else uses in text.
            Emphasis::Code if self.name == ThemeName::Mono => {
                style.add_modifier(Modifier::REVERSED)
            }
            Emphasis::Code => style.fg(self.accent),
        }
    }

    /// The style of a stretch of laid-out text (quiz, results, help).
    pub fn look(&self, look: Look) -> Style {
        match look {
            Look::Inherit => Style::default(),
            Look::Base => self.base,
            Look::Muted => self.muted,
            Look::Title => self.title,
            Look::Key => self.bar_key,
            Look::Notice => self.disclaimer,
            Look::Selected => self.selected,
            Look::Right => self.right,
            Look::Partly => self.partly,
            Look::Wrong => self.wrong,
        }
    }

    /// A laid-out line, styled.
    pub fn line(&self, line: &TextLine) -> Line<'static> {
        Line::from(
            line.runs
                .iter()
                .map(|run| Span::styled(run.text.clone(), self.look(run.look)))
                .collect::<Vec<_>>(),
        )
    }

    /// Diagram parts: boxes coloured by their status, which each box also says in words.
    fn diagram(&self, part: DiagramRole) -> Style {
        let base = self.base;
        let status = |style: NodeStyle| match style {
            NodeStyle::Established => base.fg(self.tip),
            NodeStyle::Trial => base.fg(self.warning),
            NodeStyle::Unproven => base.fg(self.wrong_color),
            NodeStyle::Accent => base.fg(self.accent).add_modifier(Modifier::BOLD),
            NodeStyle::Optional => self.muted,
            NodeStyle::Plain => base.fg(self.note),
        };
        match part {
            DiagramRole::Title => base.add_modifier(Modifier::BOLD),
            DiagramRole::Caption => base.fg(self.accent).add_modifier(Modifier::BOLD),
            DiagramRole::Border(style) => status(style),
            DiagramRole::Status(style) => status(style).add_modifier(Modifier::BOLD),
            DiagramRole::Label | DiagramRole::Legend | DiagramRole::Blank => base,
            DiagramRole::Detail | DiagramRole::EdgeLabel | DiagramRole::Edge => self.muted,
        }
    }

    fn tone(&self, tone: Tone) -> Color {
        match tone {
            Tone::Note => self.note,
            Tone::Tip => self.tip,
            Tone::Warning => self.warning,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance and contrast ratio.
    fn luminance(color: Color) -> f64 {
        let Color::Rgb(r, g, b) = color else { panic!("high contrast uses exact colours") };
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    fn contrast(a: Color, b: Color) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn high_contrast_text_is_at_least_7_to_1() {
        let theme = Theme::new(ThemeName::HighContrast);
        let bg = theme.base.bg.unwrap();
        let roles = [
            Role::Title,
            Role::Body,
            Role::ContextMark,
            Role::ContextBody,
            Role::Source,
            Role::CalloutMark(Tone::Note),
            Role::CalloutMark(Tone::Tip),
            Role::CalloutMark(Tone::Warning),
        ];
        for role in roles {
            let fg = theme.role(role, Emphasis::Plain).fg.unwrap();
            assert!(contrast(fg, bg) >= 7.0, "{role:?}: {:.1}", contrast(fg, bg));
        }
        let selected = theme.selected;
        assert!(contrast(selected.fg.unwrap(), selected.bg.unwrap()) >= 7.0);
        for verdict in [theme.right, theme.wrong, theme.partly] {
            assert!(contrast(verdict.fg.unwrap(), bg) >= 7.0, "{verdict:?}");
        }
    }

    #[test]
    fn light_theme_body_text_is_readable() {
        let theme = Theme::new(ThemeName::Light);
        let ratio = contrast(theme.base.fg.unwrap(), theme.base.bg.unwrap());
        assert!(ratio >= 7.0, "{ratio:.1}");
        let muted = contrast(theme.muted.fg.unwrap(), theme.base.bg.unwrap());
        assert!(muted >= 4.5, "{muted:.1}");
    }

    #[test]
    fn mono_uses_no_colour() {
        let theme = Theme::new(ThemeName::Mono);
        for role in [Role::Title, Role::ContextMark, Role::CalloutMark(Tone::Warning)] {
            let style = theme.role(role, Emphasis::Plain);
            assert!(matches!(style.fg, None | Some(Color::Reset)), "{role:?}");
        }
        assert!(theme.selected.add_modifier.contains(Modifier::REVERSED));
    }
}
