//! A student's rejoin words: four words from a list of 256 (32 bits), given at their first
//! join and shown to them once. Whoever gives them back may take the name's place, answers
//! included, at once, even while the old connection still looks alive (a Wi-Fi drop sends no
//! goodbye). Words rather than a code: a student reads them once and can keep them in mind or
//! on paper; the list has no two words that sound alike and none longer than eight letters.
//! Guessing is bounded by the class (a few wrong tries per name, then only the teacher can let
//! that name back in).

/// How many words a student gets.
pub const COUNT: usize = 4;

/// Fresh words, separated by single spaces. `None` when the system has no randomness (then
/// nobody can rejoin by words, only with the teacher's say-so).
pub fn fresh() -> Option<String> {
    let mut bytes = [0u8; COUNT];
    getrandom::fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|&b| WORDS[usize::from(b)]).collect::<Vec<_>>().join(" "))
}

/// The words as typed, put in one form: lower case, any spaces, commas, dots or dashes
/// between them, so "River-apple  seven,cloud" is the same as "river apple seven cloud".
pub fn normal(typed: &str) -> String {
    typed
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '-' | '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `typed` gives back `words`, compared without stopping at the first difference.
pub fn same(typed: &str, words: &str) -> bool {
    let (typed, words) = (normal(typed), normal(words));
    if typed.len() != words.len() || words.is_empty() {
        return false;
    }
    let diff = typed.bytes().zip(words.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    std::hint::black_box(diff) == 0
}

const WORDS: [&str; 256] = [
    "acorn", "actor", "album", "amber", "anchor", "angle", "apple", "apron", "arch", "arrow",
    "atlas", "attic", "autumn", "badge", "bagel", "baker", "bamboo", "banjo", "barn", "basket",
    "beach", "beacon", "bean", "bear", "beaver", "bell", "bench", "berry", "bike", "birch",
    "blanket", "blossom", "boat", "bonnet", "book", "boot", "bottle", "bowl", "branch", "bread",
    "brick", "bridge", "brook", "broom", "bucket", "buffalo", "bugle", "butter", "button", "cabin",
    "cable", "cactus", "camel", "camera", "candle", "canoe", "canyon", "carpet", "carrot",
    "castle", "cedar", "cello", "chalk", "cherry", "chess", "chimney", "cider", "circle", "citrus",
    "clay", "cliff", "clock", "cloud", "clover", "coast", "cobalt", "cocoa", "comet", "copper",
    "coral", "cotton", "crane", "crayon", "cricket", "crystal", "cube", "cypress", "daisy",
    "delta", "desert", "diamond", "dolphin", "donkey", "dragon", "drum", "eagle", "easel", "echo",
    "elbow", "ember", "engine", "falcon", "feather", "fern", "ferry", "fiddle", "field", "fig",
    "flute", "forest", "fossil", "fountain", "fox", "garden", "garlic", "geyser", "ginger",
    "giraffe", "glacier", "globe", "goose", "grape", "gravel", "guitar", "hammer", "harbor",
    "harp", "hazel", "helmet", "heron", "hill", "honey", "horizon", "igloo", "island", "ivory",
    "jacket", "jasmine", "jelly", "jungle", "kayak", "kettle", "kitten", "koala", "ladder",
    "lagoon", "lantern", "lemon", "lily", "lizard", "llama", "maple", "marble", "meadow", "melon",
    "mint", "mirror", "mitten", "moose", "mosaic", "mountain", "muffin", "needle", "nest",
    "noodle", "nutmeg", "oak", "oasis", "ocean", "olive", "onion", "orbit", "orchid", "otter",
    "owl", "paddle", "panda", "paper", "parrot", "peach", "peanut", "pebble", "pelican", "pencil",
    "pepper", "piano", "pillow", "pine", "planet", "plum", "pocket", "pony", "poppy", "potato",
    "prairie", "pretzel", "puffin", "pumpkin", "puzzle", "quartz", "quilt", "rabbit", "radish",
    "rainbow", "raven", "reef", "ribbon", "river", "robin", "rocket", "saddle", "salmon", "sandal",
    "scarf", "seal", "shell", "shovel", "silver", "sketch", "sled", "snail", "sparrow", "spoon",
    "squirrel", "stamp", "star", "stone", "stream", "sugar", "summit", "sunset", "swan", "table",
    "tiger", "timber", "toast", "tomato", "topaz", "tractor", "trumpet", "tulip", "tunnel",
    "turtle", "umbrella", "valley", "velvet", "violin", "walnut", "walrus", "wagon", "whale",
    "willow", "window", "wizard", "yogurt", "zebra",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_words_are_four_from_the_list_and_differ() {
        let words = fresh().expect("randomness");
        assert_eq!(words.split(' ').count(), COUNT);
        assert!(words.split(' ').all(|w| WORDS.contains(&w)), "{words}");
        let many: std::collections::HashSet<_> = (0..50).filter_map(|_| fresh()).collect();
        assert!(many.len() > 45, "words repeat: {}", many.len());
    }

    #[test]
    fn words_match_however_they_are_typed_and_only_when_all_are_right() {
        assert!(same(" River-apple  SEVEN,cloud. ", "river apple seven cloud"));
        assert!(!same("river apple seven", "river apple seven cloud"));
        assert!(!same("river apple seven clove", "river apple seven cloud"));
        assert!(!same("", ""), "no words never match");
    }

    #[test]
    fn the_list_has_no_repeats_and_no_long_words() {
        let set: std::collections::HashSet<_> = WORDS.iter().collect();
        assert_eq!(set.len(), WORDS.len());
        assert!(WORDS.iter().all(|w| w.len() <= 8 && w.chars().all(|c| c.is_ascii_lowercase())));
    }
}
