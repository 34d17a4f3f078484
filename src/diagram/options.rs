//! What a diagram is asked for: the selection and the options that shape
//! it.

use super::style::Lang;

/// The id of the organisation at the centre of the default diagram.
pub const CENTRE: &str = "gti";

/// The most nodes a focus diagram draws unless asked otherwise: a picture
/// that stays readable.
pub const DEFAULT_MAX_NODES: usize = 150;

/// What part of the graph to draw.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selection {
    /// The GTI and its relationships: its members and secretariat, the
    /// ministries these belong to or are placed at the disposal of, the
    /// Prime Minister's services, the decisions that labelled its poles,
    /// the events it organised, and its poles. On a CONSTRUCT result:
    /// everything.
    #[default]
    Default,
    /// The records at most `depth` links away from `record` (an id such
    /// as `dge`, a prefixed name such as `organization:dge`, or an IRI).
    Focus { record: String, depth: usize },
    /// Every record.
    All,
}

/// How nodes are grouped into boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClusterBy {
    /// Each organisation inside its ministry (or the Prime Minister).
    #[default]
    Ministry,
    /// One box per class.
    Kind,
    /// No boxes.
    None,
}

/// The direction of the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RankDir {
    #[default]
    TopBottom,
    LeftRight,
    BottomTop,
    RightLeft,
}

impl RankDir {
    /// The Graphviz value (`TB`, `LR`, `BT`, `RL`).
    pub fn as_str(self) -> &'static str {
        match self {
            RankDir::TopBottom => "TB",
            RankDir::LeftRight => "LR",
            RankDir::BottomTop => "BT",
            RankDir::RightLeft => "RL",
        }
    }
}

/// Everything that shapes a diagram.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiagramOptions {
    pub selection: Selection,
    /// Draw every pole of the default and focus diagrams instead of one
    /// node per category.
    pub expand_poles: bool,
    /// Classes and properties to keep (prefixed names or IRIs); empty keeps
    /// all.
    pub include: Vec<String>,
    /// Classes and properties to leave out.
    pub exclude: Vec<String>,
    pub lang: Lang,
    pub cluster_by: ClusterBy,
    pub rankdir: RankDir,
    /// The most nodes a diagram draws (a group of poles counts as one).
    /// Past it, a focus diagram leaves out the records farthest from the
    /// focus and says how many ([`Diagram::omitted`]); any other diagram
    /// is refused ([`DiagramError::TooManyNodes`]) before it is built.
    /// `None`: no limit.
    ///
    /// [`DiagramError::TooManyNodes`]: super::DiagramError::TooManyNodes
    ///
    /// [`Diagram::omitted`]: super::Diagram::omitted
    pub max_nodes: Option<usize>,
}
