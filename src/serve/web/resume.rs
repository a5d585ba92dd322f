//! Resume tokens: after a browser joins, the server gives it a random token; a browser whose
//! socket dropped (Wi-Fi, a closed lid) comes back with it instead of the code, and takes its
//! place back: the old session, if the server still thinks it is there, is cut and waited for,
//! then the new one joins the class under the same name, which the class treats as a rejoin
//! (answers, points and place kept). A token is used once: each join issues a new one.
//! The class itself gives a place back only for the student's rejoin words: the words stay
//! here beside the token, and a reclaimed place offers them to the class, so a browser comes
//! back without the student typing anything.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::serve::cut::Cut;

/// Where a browser's rejoin words are kept: the runner writes them when the class gives them,
/// and a reclaimed place offers them to the class (the page itself holds only the token).
pub type Words = Arc<Mutex<Option<String>>>;

/// One browser's place.
struct Place {
    name: String,
    words: Words,
    /// Cuts the session holding the place now.
    cut: Cut,
    /// Closed when that session has ended (and told the class it left).
    ended: watch::Receiver<()>,
    issued: Instant,
}

/// A place given back for a token.
pub struct Reclaimed {
    pub name: String,
    /// The student's rejoin words, when the class gave them.
    pub words: Option<String>,
    cut: Cut,
    ended: watch::Receiver<()>,
}

impl Reclaimed {
    /// Ends the old session (if it still runs) and waits, a bounded time, until the class
    /// has seen it leave.
    pub async fn take_over(mut self) {
        self.cut.cut();
        let ended = async { while self.ended.changed().await.is_ok() {} };
        let _ = tokio::time::timeout(TAKEOVER_WAIT, ended).await;
    }
}

/// How long a takeover waits for the old session to end.
const TAKEOVER_WAIT: Duration = Duration::from_secs(5);

/// The tokens given out, at most a few per seat (the oldest are forgotten first).
pub struct Resumes {
    places: Mutex<HashMap<String, Place>>,
    most: usize,
}

impl Resumes {
    pub fn new(max_students: usize) -> Self {
        Self { places: Mutex::new(HashMap::new()), most: max_students.saturating_mul(2) + 16 }
    }

    /// A fresh token for the session that now holds `name`, whose words are kept in `words`.
    pub fn issue(&self, name: &str, words: Words, cut: Cut, ended: watch::Receiver<()>) -> String {
        let token = fresh_token();
        let mut places = self.places.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // A name has one place: an older token for it is void.
        places.retain(|_, place| place.name != name);
        if places.len() >= self.most
            && let Some(oldest) =
                places.iter().min_by_key(|(_, place)| place.issued).map(|(t, _)| t.clone())
        {
            places.remove(&oldest);
        }
        places.insert(
            token.clone(),
            Place { name: name.to_owned(), words, cut, ended, issued: Instant::now() },
        );
        token
    }

    /// The place of a token, which is used up.
    pub fn reclaim(&self, token: &str) -> Option<Reclaimed> {
        if token.len() != TOKEN_BYTES * 2 {
            return None;
        }
        let mut places = self.places.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let place = places.remove(token)?;
        let words = place.words.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        Some(Reclaimed { name: place.name, words, cut: place.cut, ended: place.ended })
    }

    /// Tokens held now.
    pub fn len(&self) -> usize {
        self.places.lock().unwrap_or_else(std::sync::PoisonError::into_inner).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

const TOKEN_BYTES: usize = 16;

/// 128 random bits as hex.
fn fresh_token() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    if getrandom::fill(&mut bytes).is_err() {
        // No system randomness: a token nobody can guess cannot be made, so none matches.
        return "-".repeat(TOKEN_BYTES * 2 + 1);
    }
    bytes.iter().fold(String::new(), |mut hex, b| {
        use std::fmt::Write;
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_gives_its_place_once_and_a_new_token_voids_the_old() {
        let resumes = Resumes::new(4);
        let (_tx, rx) = watch::channel(());
        let first = resumes.issue("ada", Words::default(), Cut::new(), rx.clone());
        let second = resumes.issue("ada", Words::default(), Cut::new(), rx.clone());
        assert_ne!(first, second);
        assert!(resumes.reclaim(&first).is_none(), "the older token is void");
        assert_eq!(resumes.reclaim(&second).map(|p| p.name).as_deref(), Some("ada"));
        assert!(resumes.reclaim(&second).is_none(), "used once");
        assert!(resumes.reclaim("not a token").is_none());
    }

    #[test]
    fn tokens_are_bounded() {
        let resumes = Resumes::new(2);
        let (_tx, rx) = watch::channel(());
        for i in 0..100 {
            resumes.issue(&format!("s{i}"), Words::default(), Cut::new(), rx.clone());
        }
        assert!(resumes.len() <= 2 * 2 + 16, "{}", resumes.len());
    }

    #[tokio::test]
    async fn taking_over_cuts_the_old_session_and_waits_for_its_end() {
        let resumes = Resumes::new(4);
        let (tx, rx) = watch::channel(());
        let cut = Cut::new();
        let token = resumes.issue("ada", Words::default(), cut.clone(), rx);
        let old = tokio::spawn({
            let cut = cut.clone();
            async move {
                while !cut.is_cut() {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                drop(tx);
            }
        });
        resumes.reclaim(&token).expect("a place").take_over().await;
        assert!(cut.is_cut());
        assert!(old.is_finished() || old.await.is_ok());
    }
}
