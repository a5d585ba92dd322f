//! The validated course that everything after loading works with: no `Option` left to
//! check, no raw markup, every reference already resolved.

pub use crate::content::model::Tone;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    /// Learner records are stored under this id.
    pub id: String,
    pub title: String,
    pub description: String,
    pub disclaimer: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: String,
    pub title: String,
    /// Never empty: the title when the author gave no short title.
    pub short_title: String,
    pub blocks: Vec<Block>,
    pub key_points: Vec<Rich>,
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
    },
    /// Established facts that put the source text in perspective, always with a source.
    Context {
        title: Option<String>,
        note: Note,
        source: String,
    },
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
