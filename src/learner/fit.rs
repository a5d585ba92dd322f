//! `stemcell stats --fit`: FSRS parameters fitted to the learner's own answers, as Anki's
//! "optimize" does, and how much better they predict that learner's history.
//!
//! Fitting asks for [`MIN_ANSWERS`] answers (Anki's threshold): below that the crate would fit
//! little but the first intervals, and a learner's few answers say more about chance than
//! about their memory. The fit is kept only when it predicts the history better than the
//! default parameters (lower log loss), as Anki keeps the parameters it had otherwise.

use fsrs::{ComputeParametersInput, FSRS, FSRSItem};

use super::{Day, Fitted, Record, schedule};

/// Fewer answers than this are not fitted.
pub const MIN_ANSWERS: usize = 400;

impl Fitted {
    /// Whether the fitted parameters predict the history better than the defaults.
    pub fn improves(&self) -> bool {
        self.log_loss_fitted < self.log_loss_default
    }
}

/// Fits the parameters to `record`'s answers (those not folded away). `Err` says why not, in
/// the learner's words.
pub fn fit(record: &Record, today: Day) -> Result<Fitted, String> {
    let answers = record.answers.len();
    if answers < MIN_ANSWERS {
        return Err(format!(
            "your record has {answers} answers; fitting needs at least {MIN_ANSWERS} (as Anki \
             asks), so practice keeps the default parameters. {} more to go.",
            MIN_ANSWERS - answers
        ));
    }
    let (items, ids) = schedule::training_items(&record.answers);
    if items.len() < MIN_ANSWERS / 4 {
        return Err(format!(
            "only {} of your {answers} answers came a day or more after an earlier answer to the \
             same question, and only those show how memory fades; practice on more days first.",
            items.len()
        ));
    }
    let input = ComputeParametersInput {
        train_set: items.clone(),
        card_ids: Some(ids),
        ..ComputeParametersInput::default()
    };
    let parameters = fsrs::compute_parameters(input).map_err(|e| format!("the fit failed: {e}"))?;
    let log_loss_default = log_loss(&FSRS::default(), &items)?;
    let fitted =
        FSRS::new(&parameters).map_err(|e| format!("the fit gave unusable parameters: {e}"))?;
    let log_loss_fitted = log_loss(&fitted, &items)?;
    Ok(Fitted {
        day: today,
        answers: answers as u64,
        parameters,
        log_loss_default,
        log_loss_fitted,
    })
}

fn log_loss(fsrs: &FSRS, items: &[FSRSItem]) -> Result<f32, String> {
    fsrs.evaluate(items.to_vec(), |_| true)
        .map(|e| e.log_loss)
        .map_err(|e| format!("the fit could not be measured: {e}"))
}

/// What a fit gained, in one sentence or two.
pub fn describe(fitted: &Fitted) -> String {
    let (before, after) = (fitted.log_loss_default, fitted.log_loss_fitted);
    if fitted.improves() {
        let gain = (before - after) / before * 100.0;
        format!(
            "Fitted FSRS to your {} answers: it predicts your own history with log loss \
             {after:.3} instead of {before:.3} with the default parameters ({gain:.1} % better).",
            fitted.answers
        )
    } else {
        format!(
            "Fitted FSRS to your {} answers, but the fit predicts your history no better than \
             the default parameters (log loss {after:.3} against {before:.3}), so practice \
             keeps the defaults.",
            fitted.answers
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learner::AnswerLog;

    /// A learner whose memory of every question fades on a known curve (recall after `t` days
    /// is `0.9^(t/s)`, `s` growing threefold after each recall and shrinking after a lapse),
    /// answering on the days a Leitner-like schedule would ask: hundreds of answers.
    #[allow(clippy::cast_precision_loss)]
    fn simulated(answers: usize) -> Record {
        let mut record = Record::new("c");
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut uniform = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        // Per question: true stability, last day, next day asked.
        let mut questions: Vec<(f64, i64, i64)> =
            (0..40i32).map(|q| (0.5 + f64::from(q % 5), 0, i64::from(q / 4))).collect();
        let mut day = 0;
        while record.answers.len() < answers {
            for (q, (stability, last, next)) in questions.iter_mut().enumerate() {
                if *next != day {
                    continue;
                }
                let recall = 0.9f64.powf((day - *last) as f64 / *stability);
                let right = uniform() < recall;
                *stability = if right { *stability * 3.0 } else { (*stability * 0.4).max(0.3) };
                *last = day;
                *next = day + if right { (*stability).round().max(1.0) as i64 } else { 1 };
                let n = u32::try_from(record.answers.len()).unwrap();
                record.answers.push(AnswerLog {
                    question: format!("q{q}"),
                    day: Day(day),
                    points: if right { 1.0 } else { 0.0 },
                    session: "s".into(),
                    n,
                });
            }
            day += 1;
        }
        record
    }

    #[test]
    fn below_400_answers_it_says_why_not() {
        let record = simulated(120);
        let why = fit(&record, Day(0)).unwrap_err();
        assert!(why.contains(&format!("{} answers", record.answers.len())), "{why}");
        assert!(why.contains("at least 400"), "{why}");
    }

    #[test]
    fn a_fit_on_enough_answers_predicts_the_history_better() {
        let record = simulated(600);
        let fitted = fit(&record, Day(99)).unwrap();
        assert_eq!(fitted.parameters.len(), 21);
        assert!(fitted.improves(), "{fitted:?}");
        assert!(describe(&fitted).contains("better"), "{}", describe(&fitted));
        // Kept in the record, the fitted parameters schedule practice; the record reads back.
        let mut kept = record.clone();
        kept.fitted = Some(fitted.clone());
        let back: Record = toml::from_str(&toml::to_string(&kept).unwrap()).unwrap();
        assert_eq!(back.fitted.as_ref(), Some(&fitted));
        let cards = back.cards(&back.scheduler(0.9));
        let default = record.cards(&record.scheduler(0.9));
        assert_ne!(cards, default, "the fitted parameters change the schedule");
    }
}
