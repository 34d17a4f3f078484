//! What drawing gives: the diagram as a petgraph graph of drawn nodes and
//! links, with its clusters, legend and title ([`super::dot`] writes it).

use super::options::RankDir;
use super::style::NodeStyle;
use crate::iri::Iris;
use crate::model::Confidence;
use petgraph::graph::{DiGraph, NodeIndex};
use std::sync::Arc;

/// A diagram ready to write: the drawn nodes and links as a petgraph graph,
/// with the clusters, the legend and the title.
#[derive(Debug, Clone)]
pub struct Diagram {
    pub graph: DiGraph<DiagramNode, DiagramEdge>,
    pub clusters: Vec<Cluster>,
    pub legend: Vec<LegendEntry>,
    /// The line styles drawn for links that are not confirmed, with their
    /// legend text.
    pub legend_lines: Vec<(Confidence, String)>,
    pub legend_title: String,
    pub title: String,
    pub rankdir: RankDir,
    /// How many records of a focus neighbourhood were left out to keep
    /// within [`DiagramOptions::max_nodes`](super::DiagramOptions::max_nodes)
    /// (the title says so too).
    pub omitted: usize,
}

/// A drawn node: a record, a literal (in a query result), or a group of
/// poles.
#[derive(Debug, Clone)]
pub struct DiagramNode {
    /// The DOT node id: the IRI, `_:id` for a blank node, the N-Triples
    /// form of a literal, or `pole-group:{category IRI | none}`.
    pub id: String,
    /// The text shown, lines separated by `\n`.
    pub label: String,
    /// The text shown on hover: the full name and the IRI.
    pub tooltip: String,
    pub style: &'static NodeStyle,
    /// For a group of poles, how many poles it stands for.
    pub group: Option<usize>,
    /// Where a click on the node goes (`URL` in DOT, a link in SVG), when
    /// the diagram links its records ([`Diagram::link_records`]).
    pub url: Option<String>,
}

/// A drawn link. The texts are shared by the links of one property (a
/// diagram of every record has hundreds of thousands of links and a few
/// dozen properties).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramEdge {
    /// The property IRI.
    pub property: Arc<str>,
    /// Its label in the diagram's language, with the count of links it
    /// stands for when it joins a group of poles.
    pub label: Arc<str>,
    /// How many links of the graph this edge stands for.
    pub count: usize,
    /// The least sure of the links it stands for (drawn dashed when
    /// uncertain, dotted when inferred).
    pub confidence: Confidence,
    /// The text shown on hover: the property, the sources that state the
    /// link, and its confidence when not confirmed.
    pub tooltip: Arc<str>,
}

/// A box around nodes: a ministry and its organisations, or a class.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// What the box stands for: the ministry's IRI, or the class IRI.
    pub key: String,
    pub label: String,
    pub members: Vec<NodeIndex>,
}

/// One line of the legend.
#[derive(Debug, Clone)]
pub struct LegendEntry {
    pub label: String,
    pub style: &'static NodeStyle,
    /// The entry of the grouped poles (drawn with a double outline).
    pub group: bool,
}

impl Diagram {
    /// The node with this DOT id.
    pub fn node(&self, id: &str) -> Option<&DiagramNode> {
        self.graph.node_weights().find(|n| n.id == id)
    }

    /// Links each record's node to `{link_base}{kind}/{id}` (the record's
    /// IRI when `link_base` is the graph's base, or its page on an endpoint
    /// serving the graph). Nodes that are not records (literals, groups of
    /// poles, IRIs outside the base) get no link.
    pub fn link_records(&mut self, iris: &Iris, link_base: &str) {
        for node in self.graph.node_weights_mut() {
            node.url = iris
                .parse_record(&node.id)
                .map(|(kind, id)| format!("{link_base}{}/{id}", kind.path()));
        }
    }
}
