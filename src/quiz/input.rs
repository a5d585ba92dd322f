//! An answer in the making: what the learner has chosen, arranged or typed so far, in screen
//! positions, and the finished [`Response`] it becomes. Pure data, so the quiz screens'
//! geometry can measure it without knowing the app.

use crate::course::{Answer, Question};
use crate::quiz::{Presentation, Response};

/// Which questions are answered by choosing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceKind {
    Single,
    Multiple,
    TrueFalse,
}

/// An answer in the making, in screen positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Single, multiple and true/false (True at position 0, False at 1).
    Choice {
        kind: ChoiceKind,
        cursor: usize,
        chosen: Vec<bool>,
    },
    /// The steps (item indices) in the learner's current order.
    Order {
        cursor: usize,
        arrangement: Vec<usize>,
        holding: bool,
    },
    /// For each left-hand item, the screen position of the partner chosen for it.
    Match {
        cursor: usize,
        assigned: Vec<Option<usize>>,
    },
    Fill {
        text: String,
    },
}

impl Input {
    pub fn new(question: &Question, shown: &Presentation) -> Self {
        match &question.answer {
            Answer::Choice { options, multiple } => Self::Choice {
                kind: if *multiple { ChoiceKind::Multiple } else { ChoiceKind::Single },
                cursor: 0,
                chosen: vec![false; options.len()],
            },
            Answer::TrueFalse(_) => {
                Self::Choice { kind: ChoiceKind::TrueFalse, cursor: 0, chosen: vec![false; 2] }
            }
            Answer::Order(_) => {
                Self::Order { cursor: 0, arrangement: shown.order.clone(), holding: false }
            }
            Answer::Match(pairs) => Self::Match { cursor: 0, assigned: vec![None; pairs.len()] },
            Answer::Fill(_) => Self::Fill { text: String::new() },
        }
    }

    /// The answer `response` as it was given on a screen showing `shown`: a rejoining student
    /// sees their earlier pick again. Parts that do not fit the question are left out.
    pub fn given(question: &Question, shown: &Presentation, response: &Response) -> Self {
        let mut input = Self::new(question, shown);
        let position = |item: usize| shown.order.iter().position(|&i| i == item);
        match (&mut input, response) {
            (Self::Choice { kind: ChoiceKind::TrueFalse, chosen, .. }, Response::TrueFalse(t)) => {
                chosen[usize::from(!*t)] = true;
            }
            (Self::Choice { chosen, .. }, Response::Choice(items)) => {
                for p in items.iter().filter_map(|&item| position(item)) {
                    if let Some(c) = chosen.get_mut(p) {
                        *c = true;
                    }
                }
            }
            (Self::Order { arrangement, .. }, Response::Order(steps))
                if steps.len() == arrangement.len() =>
            {
                arrangement.clone_from(steps);
            }
            (Self::Match { assigned, .. }, Response::Match(partners)) => {
                for (slot, partner) in assigned.iter_mut().zip(partners) {
                    *slot = partner.and_then(position);
                }
            }
            (Self::Fill { text }, Response::Fill(given)) => text.clone_from(given),
            _ => {}
        }
        input
    }

    /// The finished answer, or why it is not finished yet.
    pub fn response(
        &self,
        question: &Question,
        shown: &Presentation,
    ) -> Result<Response, &'static str> {
        match (self, &question.answer) {
            (Self::Choice { chosen, .. }, Answer::TrueFalse(_)) => {
                match chosen.iter().position(|c| *c) {
                    Some(position) => Ok(Response::TrueFalse(position == 0)),
                    None => Err("choose True or False first"),
                }
            }
            (Self::Choice { chosen, .. }, _) => {
                let mut items: Vec<usize> = chosen
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c)
                    .map(|(p, _)| shown.order[p])
                    .collect();
                items.sort_unstable();
                if items.is_empty() {
                    Err("choose an option first")
                } else {
                    Ok(Response::Choice(items))
                }
            }
            (Self::Order { arrangement, .. }, _) => Ok(Response::Order(arrangement.clone())),
            (Self::Match { assigned, .. }, _) => {
                if assigned.iter().any(Option::is_none) {
                    return Err("match every item first");
                }
                Ok(Response::Match(assigned.iter().map(|p| p.map(|p| shown.order[p])).collect()))
            }
            (Self::Fill { text }, _) => {
                if text.trim().is_empty() {
                    Err("type an answer first")
                } else {
                    Ok(Response::Fill(text.clone()))
                }
            }
        }
    }

    /// How many items the cursor moves over (none for a typed answer).
    pub fn item_count(&self) -> usize {
        match self {
            Self::Choice { chosen, .. } => chosen.len(),
            Self::Order { arrangement, .. } => arrangement.len(),
            Self::Match { assigned, .. } => assigned.len(),
            Self::Fill { .. } => 0,
        }
    }
}
