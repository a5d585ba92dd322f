//! Classroom mode, made to be read from the back of a room: big section titles when the
//! window allows, wide spacing, no sidebar, the newest block always in view; a class quiz with
//! hands counted per option and a chart after the reveal; a footer with the position and the
//! elapsed time.

use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use tui_big_text::{BigText, PixelSize};

use super::theme::Theme;
use crate::app::{App, ClassQuiz, PresentState, Unit, is_right, keymap};
use crate::course::Answer;
use crate::page::{self, Glyphs, PageLine};
use crate::quiz;

/// The widest the text gets, even on a wide projector: lines stay easy to follow.
const MAX_WIDTH: u16 = 100;

pub struct PresentView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for PresentView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(present) = &self.app.present else { return };
        if present.blank {
            return;
        }
        let whole = area;
        // With a class attached (`stemcell serve`), how to join stays in view at the top.
        let area = match &self.app.console {
            Some(console) => {
                let height = super::console::strip_height(area);
                super::console::strip(console, Rect { height, ..area }, buf, self.theme);
                Rect { y: area.y + height, height: area.height - height, ..area }
            }
            None => area,
        };
        let [body, footer] = super::areas::bottom_rows(area, 1);
        self.footer(present, footer, buf);
        // Generous margins: a projected screen's edges are often cut off or hard to read.
        let margin = (body.width / 12).clamp(1, 8);
        let width = body.width.saturating_sub(margin * 2).min(MAX_WIDTH);
        // Big titles may use the whole width between the margins; text keeps its measure.
        let wide =
            Rect { x: body.x + margin, width: body.width.saturating_sub(margin * 2), ..body };
        let body = Rect {
            x: body.x + (body.width - width) / 2,
            y: body.y + u16::from(body.height > 16),
            width,
            height: body.height.saturating_sub(u16::from(body.height > 16) * 2),
        };
        match &present.class {
            Some(class)
                if class.finished && self.app.console.as_ref().is_some_and(|c| c.scores_shown) =>
            {
                if let Some(console) = &self.app.console {
                    super::console::scores_page(self.app, console, body, buf, self.theme);
                }
            }
            Some(class) if class.finished => self.summary(class, body, buf),
            Some(class) => self.class_question(class, body, buf),
            None if present.step == 0 => self.title_slide(present, wide, buf),
            None if present.at_quiz_offer(self.app) => self.quiz_offer(present, body, buf),
            None => self.blocks(present, body, buf),
        }
        if let Some(console) = &self.app.console {
            // Boxes open under the strip, so the join line and the host key stay readable; the
            // QR page takes the whole screen.
            let room = if console.qr_open { whole } else { area };
            super::console::overlay(self.app, console, room, buf, self.theme);
        }
    }
}

impl PresentView<'_> {
    fn footer(&self, present: &PresentState, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        buf.set_style(area, theme.bar);
        let section = &app.course.sections[present.section];
        let last = PresentState::last_step(app, present.section);
        let mut left = format!(
            " {}/{} {} · part {}/{} ",
            present.section + 1,
            app.course.sections.len(),
            section.short_title,
            present.step + 1,
            last + 1
        );
        if let Some(class) = &present.class {
            // Counted within the run: one question asked alone is "1/1", not "1/8".
            let end = class.end.min(app.course.sections[class.section].questions.len());
            left = format!(
                " {} · class quiz {}/{} ",
                section.short_title,
                class.question.saturating_sub(class.start) + 1,
                end.saturating_sub(class.start)
            );
        }
        buf.set_stringn(area.x, area.y, &left, area.width as usize, theme.bar_key);
        let mut right = String::new();
        if let (Some(class), Some(timer)) = (&present.class, present.timer)
            && !class.revealed
            && !class.finished
        {
            let left_secs = timer.saturating_sub(present.elapsed.saturating_sub(class.asked_at));
            if left_secs == 0 {
                right.push_str("time is up ");
            } else {
                let _ = write!(right, "{} left ", clock(left_secs));
            }
        }
        if !present.clock_hidden {
            let _ = write!(right, "{} ", clock(present.elapsed));
        }
        let help = keymap::key_for(app.key_mode(), crate::app::Msg::ToggleHelp)
            .map_or_else(String::new, |k| format!("{k} keys "));
        right.push_str(&help);
        let width = right.chars().count() as u16;
        if area.width > left.chars().count() as u16 + width {
            buf.set_stringn(area.right() - width, area.y, &right, width as usize, theme.bar);
        }
    }

    /// The section's title, as big as the window allows.
    fn title_slide(&self, present: &PresentState, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let section = &app.course.sections[present.section];
        let short = section.short_title.as_str();
        let letters = u16::try_from(short.chars().count()).unwrap_or(u16::MAX);
        // Full pixels are 8 cells wide and 8 high; half-height ones 8 wide, 4 high; quadrants
        // 4 by 4. ASCII mode and windows too small for any keep plain text.
        let size =
            [(PixelSize::Full, 8, 8), (PixelSize::HalfHeight, 8, 4), (PixelSize::Quadrant, 4, 4)]
                .into_iter()
                .find(|(_, w, h)| letters * w <= area.width && *h + 4 <= area.height);
        let ascii = app.settings.glyphs == Glyphs::ASCII;
        let [top, big, rest] = match size.filter(|_| !ascii) {
            Some((_, _, h)) => {
                let used = h + 5;
                let pad = area.height.saturating_sub(used) / 3;
                super::areas::rows(area, [pad, h, area.height])
            }
            None => super::areas::rows(area, [area.height / 3, 0, area.height]),
        };
        let _ = top;
        if let Some((pixels, _, _)) = size.filter(|_| !ascii) {
            BigText::builder()
                .pixel_size(pixels)
                .style(self.theme.title)
                .lines(vec![Line::from(short.to_owned())])
                .centered()
                .build()
                .render(big, buf);
        }
        let text = vec![
            Line::styled(section.title.clone(), self.theme.title).centered(),
            Line::default(),
            Line::styled(
                format!("Section {} of {}", present.section + 1, app.course.sections.len()),
                self.theme.muted,
            )
            .centered(),
        ];
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .render(rest.inner(ratatui::layout::Margin { horizontal: 0, vertical: 1 }), buf);
    }

    /// The blocks revealed so far, the newest in view; a diagram being stepped shows its step.
    fn blocks(&self, present: &PresentState, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let section = &app.course.sections[present.section];
        let unit = present.unit(app);
        let mut steps = std::collections::BTreeMap::new();
        if let Unit::Block { block, step: Some(step) } = unit {
            steps.insert(block, step);
        }
        let options = page::Options {
            glyphs: app.settings.glyphs,
            offer: None,
            terms: Some(&app.terms),
            diagrams: &app.course.diagrams,
            steps: &steps,
            alt_text: page::AltText::Hidden,
        };
        let laid = page::layout(section, area.width as usize, &options);
        let start = laid.block_starts.first().copied().unwrap_or(0);
        let (end, newest) = match unit {
            Unit::Block { block, .. } => (
                laid.block_starts.get(block + 1).copied().unwrap_or(laid.blocks_end),
                laid.block_starts[block],
            ),
            _ => (laid.lines.len(), laid.blocks_end),
        };
        let lines: &[PageLine] = &laid.lines[start..end.max(start)];
        let height = area.height as usize;
        // Show the end of what is revealed, but never scroll the newest part's start away.
        let offset = lines.len().saturating_sub(height).min(newest.saturating_sub(start));
        for (row, line) in lines.iter().skip(offset).take(height).enumerate() {
            let spans: Vec<Span> = line
                .pieces
                .iter()
                .map(|p| Span::styled(p.text.as_str(), self.theme.piece(p)))
                .collect();
            buf.set_line(area.x, area.y + row as u16, &Line::from(spans), area.width);
        }
    }

    fn quiz_offer(&self, present: &PresentState, area: Rect, buf: &mut Buffer) {
        let section = &self.app.course.sections[present.section];
        let count = crate::content::error::plural(section.questions.len(), "question");
        let text = vec![
            Line::styled(format!("Class quiz: {}", section.short_title), self.theme.title)
                .centered(),
            Line::default(),
            Line::styled(
                if self.app.console.is_some() {
                    format!("{count}, answered on every student's own screen.")
                } else {
                    format!("{count}, answered by show of hands.")
                },
                self.theme.base,
            )
            .centered(),
            Line::styled("Enter starts it · → goes on to the next section", self.theme.muted)
                .centered(),
        ];
        let box_area = super::areas::centered_vertically(area, 6);
        Paragraph::new(text).wrap(Wrap { trim: true }).render(box_area, buf);
    }

    fn class_question(&self, class: &ClassQuiz, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let question = &self.app.course.sections[class.section].questions[class.question];
        let width = area.width as usize;
        let mut lines: Vec<Line> = page::wrap_plain(&question.prompt, width)
            .into_iter()
            .map(|l| Line::styled(l, theme.title))
            .collect();
        lines.push(Line::default());
        let labels: Vec<String> = match &question.answer {
            Answer::Choice { options, .. } => {
                class.shown.order.iter().map(|&i| options[i].text.clone()).collect()
            }
            Answer::TrueFalse(_) => vec!["True".into(), "False".into()],
            Answer::Order(steps) => class.shown.order.iter().map(|&i| steps[i].clone()).collect(),
            Answer::Match(pairs) => pairs.iter().map(|(l, _)| l.clone()).collect(),
            Answer::Fill(_) => Vec::new(),
        };
        let counted = !class.hands.is_empty();
        let total: u32 = class.hands.iter().flatten().sum();
        for (position, label) in labels.iter().enumerate() {
            let mark = if class.revealed && counted {
                if is_right(&question.answer, &class.shown, position) { "✓ " } else { "  " }
            } else {
                ""
            };
            let head = if matches!(question.answer, Answer::Order(_)) {
                format!("{mark}{}) ", quiz::letter_label(position))
            } else {
                format!("{mark}{} ", position + 1)
            };
            let hands = if counted && self.app.console.is_none() {
                let typed = class.hands[position].map_or_else(|| "–".to_owned(), |h| h.to_string());
                if class.revealed { String::new() } else { format!("  [{typed:>3} hands]") }
            } else {
                String::new()
            };
            let style = if counted
                && !class.revealed
                && position == class.selected
                && self.app.console.is_none()
            {
                theme.selected
            } else {
                theme.base
            };
            let mark_style = if mark.starts_with('✓') { theme.right } else { style };
            let room = width.saturating_sub(head.chars().count() + hands.chars().count()).max(8);
            for (i, text) in page::wrap_plain(label, room).into_iter().enumerate() {
                if i == 0 {
                    lines.push(Line::from(vec![
                        Span::styled(head.clone(), mark_style),
                        Span::styled(text, style),
                        Span::styled(hands.clone(), theme.muted),
                    ]));
                } else {
                    lines.push(Line::from(vec![
                        Span::raw(" ".repeat(head.chars().count())),
                        Span::styled(text, style),
                    ]));
                }
            }
            if class.revealed && counted {
                let share =
                    quiz::share(f64::from(class.hands[position].unwrap_or(0)), total as usize);
                let bar_width = width.saturating_sub(head.chars().count() + 14).clamp(4, 40);
                let (full, empty) =
                    super::text_bar(share, bar_width, self.app.settings.glyphs == Glyphs::ASCII);
                let bar_style = if is_right(&question.answer, &class.shown, position) {
                    theme.right
                } else {
                    theme.partly
                };
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(head.chars().count())),
                    Span::styled(full, bar_style),
                    Span::styled(empty, theme.muted),
                    Span::styled(
                        format!(" {} ({:.0} %)", class.hands[position].unwrap_or(0), share * 100.0),
                        theme.base,
                    ),
                ]));
            }
        }
        lines.push(Line::default());
        self.after_options(&mut lines, class, counted, width);
        let offset = lines.len().saturating_sub(area.height as usize);
        let shown_lines: Vec<Line> =
            lines.into_iter().skip(if class.revealed { offset } else { 0 }).collect();
        Paragraph::new(shown_lines).render(area, buf);
    }

    /// Below the options: the answer and why once revealed, otherwise what to do.
    fn after_options(
        &self,
        lines: &mut Vec<Line<'static>>,
        class: &ClassQuiz,
        counted: bool,
        width: usize,
    ) {
        let theme = self.theme;
        let question = &self.app.course.sections[class.section].questions[class.question];
        if let Some(console) = &self.app.console {
            let live = super::console::live_lines(&console.view, class.section, class.question);
            lines.extend(live.into_iter().map(|l| l.style(theme.muted)));
        }
        if class.revealed {
            if !counted || matches!(question.answer, Answer::Choice { multiple: true, .. }) {
                lines.push(Line::styled("The answer:", theme.muted));
                for line in quiz::correct_answer(question, &class.shown) {
                    lines.push(Line::styled(format!("  {line}"), theme.right));
                }
            }
            if !question.explanation.is_empty() {
                for line in page::wrap_plain(&format!("Why: {}", question.explanation), width) {
                    lines.push(Line::styled(line, theme.base));
                }
            }
        } else if self.app.console.is_some() {
        } else if counted {
            let hint =
                "Type the hands raised for each option (↓ for the next), then Enter to reveal.";
            lines.extend(
                page::wrap_plain(hint, width).into_iter().map(|l| Line::styled(l, theme.muted)),
            );
        } else {
            lines.push(Line::styled("Enter reveals the answer.", theme.muted));
        }
    }

    fn summary(&self, class: &ClassQuiz, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let section = &self.app.course.sections[class.section];
        let mut lines = vec![
            Line::styled(format!("Class quiz: {} · summary", section.short_title), theme.title),
            Line::default(),
        ];
        for (question, share) in &class.results {
            let label = format!("Q{} ", question + 1);
            let text = match share {
                Some(share) => {
                    let (full, empty) =
                        super::text_bar(*share, 20, self.app.settings.glyphs == Glyphs::ASCII);
                    vec![
                        Span::styled(label, theme.base),
                        Span::styled(full, theme.right),
                        Span::styled(empty, theme.muted),
                        Span::styled(
                            if self.app.console.is_some() {
                                format!(" {:.0} % right", share * 100.0)
                            } else {
                                format!(" {:.0} % of hands on the right answer", share * 100.0)
                            },
                            theme.base,
                        ),
                    ]
                }
                None => vec![
                    Span::styled(label, theme.base),
                    Span::styled(
                        if self.app.console.is_some() {
                            "no answers"
                        } else {
                            "answer shown, hands not counted"
                        },
                        theme.muted,
                    ),
                ],
            };
            lines.push(Line::from(text));
        }
        lines.push(Line::default());
        if let Some(console) = &self.app.console {
            lines.extend(super::console::leaderboard_lines(&console.view, theme));
            lines.push(Line::default());
            lines.push(Line::styled(
                "s shows each student's score · Enter goes on to the next section · every \
                 answer is saved in the class results",
                theme.muted,
            ));
        } else {
            lines.push(Line::styled(
                "Enter goes on to the next section · nothing was saved to any learner record",
                theme.muted,
            ));
        }
        Paragraph::new(lines).wrap(Wrap { trim: true }).render(area, buf);
    }
}

/// Minutes and seconds, as a wall clock shows them.
fn clock(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}
