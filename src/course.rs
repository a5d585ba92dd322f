//! The validated course that everything after loading works with: no `Option` left to
//! check, no raw markup, every reference already resolved.

pub use crate::content::model::{QuestionKind, Tone};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    /// Learner records are stored under this id.
    pub id: String,
    pub title: String,
    pub description: String,
    pub disclaimer: String,
    /// BCP 47 language tag (`en` unless the pack says otherwise).
    pub language: String,
    pub sections: Vec<Section>,
    /// Alphabetical.
    pub glossary: Vec<Term>,
    /// Every diagram of the pack; blocks refer to them by index.
    pub diagrams: Vec<crate::diagram::Diagram>,
    /// The diagram shown as a "you are here" map in section headers.
    pub map: Option<usize>,
}

/// A glossary entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub term: String,
    /// Other names and forms, marked in the text as the same term.
    pub also: Vec<String>,
    pub definition: String,
    /// Blocks where the word means something else and is not marked: (section id, block id).
    pub not_in: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: String,
    pub title: String,
    /// Never empty: the title when the author gave no short title.
    pub short_title: String,
    pub blocks: Vec<Block>,
    pub key_points: Vec<Rich>,
    pub questions: Vec<Question>,
    /// This section's node on the course map, if there is a map.
    pub map_node: Option<usize>,
}

/// A checked question: its answer is always possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Unique in the course.
    pub id: String,
    /// The block of its section that teaches the answer (index into `Section::blocks`).
    pub block: usize,
    pub prompt: String,
    /// Empty when the author gave none (validation warns).
    pub explanation: String,
    pub answer: Answer,
}

/// The answer of a question, in the form its kind needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// `single` (exactly one correct) and `multiple` (one or more).
    Choice {
        options: Vec<Choice>,
        multiple: bool,
    },
    TrueFalse(bool),
    /// The steps in the right order.
    Order(Vec<String>),
    /// (left, right) pairs that belong together.
    Match(Vec<(String, String)>),
    /// Accepted answers, as written by the author.
    Fill(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub text: String,
    pub correct: bool,
    /// Why this option is wrong, shown when a learner picks it.
    pub feedback: Option<String>,
}

impl Question {
    pub fn kind(&self) -> QuestionKind {
        match &self.answer {
            Answer::Choice { multiple: false, .. } => QuestionKind::Single,
            Answer::Choice { multiple: true, .. } => QuestionKind::Multiple,
            Answer::TrueFalse(_) => QuestionKind::TrueFalse,
            Answer::Order(_) => QuestionKind::Order,
            Answer::Match(_) => QuestionKind::Match,
            Answer::Fill(_) => QuestionKind::Fill,
        }
    }
}

/// One block of a section, with the id that questions use to point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub id: Option<String>,
    pub body: BlockBody,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockBody {
    /// One or more paragraphs.
    Text(Vec<Rich>),
    Heading(String),
    List {
        lead: Option<Rich>,
        items: Vec<Rich>,
    },
    /// A note, tip or warning by the course author; `source` when it reports facts.
    Callout {
        tone: Tone,
        title: Option<String>,
        note: Note,
        source: Option<String>,
        /// Where the source can be read: an `http`/`https` address, checked at load.
        url: Option<String>,
    },
    /// Established facts that put the source text in perspective, always with a source.
    Context {
        title: Option<String>,
        note: Note,
        source: String,
        /// Where the source can be read: an `http`/`https` address, checked at load.
        url: Option<String>,
    },
    /// A diagram: its index in `Course::diagrams`.
    Diagram(usize),
}

/// The text of a callout or context note: paragraphs, then bullets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Note {
    pub paragraphs: Vec<Rich>,
    pub items: Vec<Rich>,
}

/// Text with inline emphasis, already parsed from the author's `*markup*`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rich(pub Vec<Run>);

/// A stretch of text in one inline style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub emphasis: Emphasis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Emphasis {
    #[default]
    Plain,
    /// `*emphasis*`, shown in italics.
    Italic,
    /// `**strong**`, shown in bold.
    Bold,
    /// `` `code` ``: a name to type or a file, shown in its own style (its own colour, or
    /// reversed without colour) and taken as written (no markup inside).
    Code,
}

impl Rich {
    pub fn plain(text: impl Into<String>) -> Self {
        Self(vec![Run { text: text.into(), emphasis: Emphasis::Plain }])
    }

    /// The text without markup.
    pub fn text(&self) -> String {
        self.0.iter().map(|run| run.text.as_str()).collect()
    }
}

impl Course {
    pub fn section_index(&self, id: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.id == id)
    }
}
