//! The pack's files exactly as an author writes them. Every struct is strict
//! (`deny_unknown_fields`) so a misspelt field is an error, not silently ignored, and every
//! field is documented here: this is the reference that `docs/AUTHORING.md` explains.
//! Positions are kept (`Spanned`) wherever a later check may need to point at a value.

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// The pack format this program reads. A manifest with another number is refused.
pub const FORMAT_VERSION: u32 = 1;

/// `content/course.toml`: the manifest.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseFile {
    /// Version of the pack format, a number without quotes; must be `1`.
    #[schemars(with = "u32", range(min = 1, max = 1))]
    pub format_version: Spanned<u32>,
    /// Stable identifier of the course (lowercase letters, digits and `-`). Learner records
    /// are kept under it, so changing it starts every learner afresh.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The course title, shown on the title screen.
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// One line under the title saying what the course is about.
    #[schemars(with = "String")]
    pub description: Spanned<String>,
    /// A notice shown on the title screen and in every handout, for example that the course
    /// is education and not medical advice.
    #[schemars(with = "String")]
    pub disclaimer: Spanned<String>,
    /// Section ids in reading order; each names `content/sections/ID.toml`.
    #[schemars(with = "Vec<String>")]
    pub sections: Vec<Spanned<String>>,
    /// Optional: the id of a diagram drawn as a small "you are here" map in each section's
    /// header; sections name their place on it with `map_node`.
    #[schemars(with = "Option<String>")]
    pub map: Option<Spanned<String>>,
    /// Optional: the language the course is written in, as a BCP 47 tag (`en`, `en-GB`,
    /// `de`, `pt-BR`, `zh-Hant`). Defaults to `en`. Handouts declare it (the HTML `lang`, so
    /// screen readers and hyphenation use the right language) and the JSON export carries it.
    #[schemars(with = "Option<String>")]
    pub language: Option<Spanned<String>>,
}

/// `content/sections/ID.toml`: one section of the course.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionFile {
    /// Identifier; must equal the file name without `.toml`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The section heading, shown at the top of the section.
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// A short name for tight places (the header's "2/6 Harvesting", the sidebar).
    /// Defaults to the title.
    #[schemars(with = "Option<String>")]
    pub short_title: Option<Spanned<String>>,
    /// A short summary the reader sees at the end of the section: 3 to 5 sentences are best.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub key_points: Vec<Spanned<String>>,
    /// Where this section is on the course's `map` diagram: the id of one of its nodes.
    #[schemars(with = "Option<String>")]
    pub map_node: Option<Spanned<String>>,
    /// The content, in reading order.
    #[serde(default)]
    #[schemars(with = "Vec<BlockFile>")]
    pub blocks: Vec<Spanned<BlockFile>>,
    /// The section's quiz, in the order asked (options are shuffled, questions are not).
    #[serde(default)]
    #[schemars(with = "Vec<QuestionFile>")]
    pub questions: Vec<Spanned<QuestionFile>>,
}

/// One `[[questions]]` entry. Each kind names its answer in its own natural way:
///
/// | kind        | the answer                                                   |
/// |-------------|--------------------------------------------------------------|
/// | `single`    | `[[questions.options]]` with exactly one `correct = true`     |
/// | `multiple`  | `[[questions.options]]` with one or more `correct = true`     |
/// | `truefalse` | `answer = true` or `answer = false`                           |
/// | `order`     | `steps = [...]` written in the right order (shown shuffled)   |
/// | `match`     | `pairs = [{ left = "...", right = "..." }, ...]` (right side shuffled) |
/// | `fill`      | `accept = [...]`: every acceptable answer; case and spacing are ignored |
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionFile {
    /// Identifier, unique in the whole course; learner records refer to it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The kind of question; see the table above.
    #[schemars(with = "QuestionKind")]
    pub kind: Spanned<QuestionKind>,
    /// The id of the block in this section that teaches the answer, so a learner who gets it
    /// wrong can be shown where it is explained.
    #[schemars(with = "String")]
    pub block: Spanned<String>,
    /// The question. For `fill`, mark the gap with `___`.
    #[schemars(with = "String")]
    pub prompt: Spanned<String>,
    /// Why the answer is right, shown after answering. A question without one gets a warning.
    #[schemars(with = "Option<String>")]
    pub explanation: Option<Spanned<String>>,
    /// The choices of `single` and `multiple` questions (2 to 9).
    #[schemars(with = "Option<Vec<OptionFile>>")]
    pub options: Option<Spanned<Vec<Spanned<OptionFile>>>>,
    /// The answer of a `truefalse` question.
    #[schemars(with = "Option<bool>")]
    pub answer: Option<Spanned<bool>>,
    /// The steps of an `order` question, in the right order (2 to 9, all different).
    #[schemars(with = "Option<Vec<String>>")]
    pub steps: Option<Spanned<Vec<String>>>,
    /// The pairs of a `match` question (2 to 9; lefts all different, rights all different).
    #[schemars(with = "Option<Vec<PairFile>>")]
    pub pairs: Option<Spanned<Vec<PairFile>>>,
    /// The accepted answers of a `fill` question.
    #[schemars(with = "Option<Vec<String>>")]
    pub accept: Option<Spanned<Vec<String>>>,
}

/// The kinds of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    Single,
    Multiple,
    TrueFalse,
    Order,
    Match,
    Fill,
}

impl QuestionKind {
    pub const ALL: [Self; 6] =
        [Self::Single, Self::Multiple, Self::TrueFalse, Self::Order, Self::Match, Self::Fill];

    pub fn name(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Multiple => "multiple",
            Self::TrueFalse => "truefalse",
            Self::Order => "order",
            Self::Match => "match",
            Self::Fill => "fill",
        }
    }
}

/// One choice of a `single` or `multiple` question.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionFile {
    /// The choice as shown.
    pub text: String,
    /// Whether choosing it is right.
    #[serde(default)]
    pub correct: bool,
    /// Shown when a learner picks this option wrongly: why it is not right. Expected on every
    /// wrong option.
    pub feedback: Option<String>,
}

/// One pair of a `match` question.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PairFile {
    pub left: String,
    pub right: String,
}

/// One `[[blocks]]` entry. Which fields a block takes depends on its `kind`:
///
/// | kind      | needs            | may have                 |
/// |-----------|------------------|--------------------------|
/// | `text`    | `text`           | `id`                     |
/// | `heading` | `text`           | `id`                     |
/// | `list`    | `items`          | `id`, `text` (lead-in)   |
/// | `callout` | `text` or `items`| `id`, `title`, `tone`, `source`, `url` |
/// | `context` | `source`, and `text` or `items` | `id`, `title`, `url` |
/// | `diagram` | `diagram` (an id in `assets/diagrams/`) | `id` |
///
/// Text may use `*emphasis*`, `**strong**` and `` `code` ``; a blank line starts a new
/// paragraph.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockFile {
    /// What the block is; see the table above.
    #[schemars(with = "BlockKind")]
    pub kind: Spanned<BlockKind>,
    /// Optional identifier, unique within the section, so that a question can name the block
    /// that teaches it.
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// The block's text.
    #[schemars(with = "Option<String>")]
    pub text: Option<Spanned<String>>,
    /// List entries (for `list`, and as bullets inside `callout` and `context`).
    #[schemars(with = "Option<Vec<String>>")]
    pub items: Option<Spanned<Vec<String>>>,
    /// A short title shown above a callout or context note.
    #[schemars(with = "Option<String>")]
    pub title: Option<Spanned<String>>,
    /// How a callout is styled: `note` (default), `tip` or `warning`.
    #[schemars(with = "Option<Tone>")]
    pub tone: Option<Spanned<Tone>>,
    /// The id of the diagram a `diagram` block shows (`assets/diagrams/ID.toml`).
    #[schemars(with = "Option<String>")]
    pub diagram: Option<Spanned<String>>,
    /// Where the facts come from, named so that a reader could look them up. Required on
    /// `context` notes.
    #[schemars(with = "Option<String>")]
    pub source: Option<Spanned<String>>,
    /// Optional: a web address where the `source` can be read (`http://` or `https://` only),
    /// shown as a link in handouts and after the source's name on screen. Needs `source`.
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
}

/// The kinds of block; see [`BlockFile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// A paragraph (or several, separated by blank lines).
    Text,
    /// A heading inside a section.
    Heading,
    /// A bulleted list.
    List,
    /// A highlighted box: a note, tip or warning by the course author.
    Callout,
    /// A context note: established facts that put the source text in perspective, styled apart
    /// from it, always naming a source.
    Context,
    /// A diagram from `assets/diagrams/`, drawn by the program at the reader's width.
    Diagram,
}

/// The styles a callout can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    #[default]
    Note,
    Tip,
    Warning,
}

impl BlockKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Heading => "heading",
            Self::List => "list",
            Self::Callout => "callout",
            Self::Context => "context",
            Self::Diagram => "diagram",
        }
    }
}

/// `content/glossary.toml`: terms a reader may not know. Optional.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GlossaryFile {
    /// The terms, in any order (they are shown alphabetically).
    #[serde(default)]
    #[schemars(with = "Vec<TermFile>")]
    pub terms: Vec<Spanned<TermFile>>,
}

/// One `[[terms]]` entry.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TermFile {
    /// The term as it is usually written, e.g. "hematopoietic".
    #[schemars(with = "String")]
    pub term: Spanned<String>,
    /// Other names and forms ("also called", spellings, plurals); each is marked in the text as
    /// this term.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub also: Vec<Spanned<String>>,
    /// A plain-language definition of one or two sentences.
    #[schemars(with = "String")]
    pub definition: Spanned<String>,
    /// Blocks where the word is used in another sense, so the definition would mislead there:
    /// the term is not marked in them (its first use in that section is then the next one
    /// elsewhere). Each entry is `"section-id/block-id"`, naming a block with an `id`, e.g.
    /// `not_in = ["cultivation/release-tests"]`; a reference to no such block is an error.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub not_in: Vec<Spanned<String>>,
}
