//! Step 3, select, with petgraph's traversals over the filtered graph: the
//! GTI and its relationships (the default), the neighbourhood of a record
//! (`--focus`), or all.

use super::error::{suggest, DiagramError};
use super::filter::{expand_term, Filter};
use super::load::{Link, Loaded};
use crate::iri::{prefixes_for, Iris, RecordKind};
use crate::vocab::{org, pg};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, EdgeFiltered, EdgeRef, VisitMap};
use petgraph::Direction;

/// The filtered graph: each node's weight is its index in the loaded graph.
pub(super) struct View {
    pub(super) graph: DiGraph<NodeIndex, Link>,
    /// Loaded index → view index.
    of: Vec<Option<NodeIndex>>,
}

impl View {
    pub(super) fn new(loaded: &Loaded, filter: &Filter, keep: Option<NodeIndex>) -> Self {
        let mut graph = DiGraph::with_capacity(loaded.graph.node_count(), 0);
        let mut of = vec![None; loaded.graph.node_count()];
        for node in loaded.graph.node_indices() {
            let kept = loaded.present(node) && filter.keeps_node(&loaded.graph[node]);
            if Some(node) == keep || kept {
                of[node.index()] = Some(graph.add_node(node));
            }
        }
        for edge in loaded.graph.edge_references() {
            if let (Some(source), Some(target)) =
                (of[edge.source().index()], of[edge.target().index()])
            {
                if filter.keeps_link(edge.weight()) {
                    graph.add_edge(source, target, *edge.weight());
                }
            }
        }
        View { graph, of }
    }

    pub(super) fn index(&self, loaded: NodeIndex) -> Option<NodeIndex> {
        self.of.get(loaded.index()).copied().flatten()
    }
}

/// The record `given` names: an id looked up across record kinds, a
/// prefixed name, or an IRI.
pub(super) fn resolve_record(
    loaded: &Loaded,
    iris: &Iris,
    given: &str,
) -> Result<NodeIndex, DiagramError> {
    let text = given.trim();
    let prefixes = prefixes_for(iris);
    if let Ok(iri) = expand_term(text, &prefixes) {
        if let Some(node) = loaded.find(&iri) {
            return Ok(node);
        }
    }
    let found: Vec<(String, NodeIndex)> = RecordKind::ALL
        .iter()
        .map(|&kind| iris.record(kind, text))
        .filter_map(|iri| loaded.find(&iri).map(|n| (iri, n)))
        .collect();
    match found.as_slice() {
        [(_, node)] => Ok(*node),
        [] => Err(DiagramError::UnknownRecord {
            given: given.to_owned(),
            suggestion: suggest(
                text,
                loaded
                    .graph
                    .node_weights()
                    .filter_map(|r| iris.parse_record(&r.id).map(|(_, id)| id.to_owned())),
            ),
        }),
        many => Err(DiagramError::AmbiguousRecord {
            given: given.to_owned(),
            iris: many.iter().map(|(iri, _)| iri.clone()).collect(),
        }),
    }
}

/// How many links away from `start` each node is, whichever way the links
/// point: `None` past `depth`.
pub(super) fn neighbourhood(view: &View, start: NodeIndex, depth: usize) -> Vec<Option<usize>> {
    let mut distance = vec![None; view.graph.node_count()];
    distance[start.index()] = Some(0);
    let mut frontier = vec![start];
    for step in 1..=depth {
        let mut next = Vec::new();
        for node in frontier {
            for neighbour in view.graph.neighbors_undirected(node) {
                if distance[neighbour.index()].is_none() {
                    distance[neighbour.index()] = Some(step);
                    next.push(neighbour);
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    distance
}

/// Keeps the nodes nearest the focus while they fit in `max_nodes` drawn
/// nodes, nearest first (then in graph order). `group_of` tells which
/// nodes share one drawn node (the poles of a category): a node joining a
/// group already drawn costs nothing. A node is kept only if a neighbour
/// one link nearer the focus is kept (so nothing kept hangs on a node left
/// out), and the focus always is. Returns the selection and how many nodes
/// were left out.
pub(super) fn nearest_within<K: Ord>(
    view: &View,
    distance: &[Option<usize>],
    max_nodes: usize,
    group_of: impl Fn(NodeIndex) -> Option<K>,
) -> (Vec<bool>, usize) {
    let mut order: Vec<(usize, usize)> = distance
        .iter()
        .enumerate()
        .filter_map(|(node, d)| d.map(|d| (d, node)))
        .collect();
    order.sort_unstable();
    let mut selected = vec![false; distance.len()];
    let mut groups = std::collections::BTreeSet::new();
    let (mut drawn, mut omitted) = (0, 0);
    for (d, node) in order {
        let index = NodeIndex::new(node);
        let reached = d == 0
            || view
                .graph
                .neighbors_undirected(index)
                .any(|n| selected[n.index()] && distance[n.index()] == Some(d - 1));
        let group = group_of(index);
        let cost = match &group {
            Some(group) if groups.contains(group) => 0,
            _ => 1,
        };
        if !reached || (d > 0 && drawn + cost > max_nodes) {
            omitted += 1;
            continue;
        }
        drawn += cost;
        groups.extend(group);
        selected[node] = true;
    }
    (selected, omitted)
}

/// The default diagram's selection around `centre` (see
/// [`Selection::Default`](super::Selection::Default)).
pub(super) fn around_centre(view: &View, loaded: &Loaded, centre: NodeIndex) -> Vec<bool> {
    let graph = &view.graph;
    let property = |term| loaded.term_id(term);
    // The nodes at the other end of `node`'s `term` links, in `direction`.
    let linked = |node: NodeIndex, term, direction| -> Vec<NodeIndex> {
        let wanted = property(term);
        graph
            .edges_directed(node, direction)
            .filter(|e| Some(e.weight().property) == wanted)
            .map(|e| match direction {
                Direction::Outgoing => e.target(),
                Direction::Incoming => e.source(),
            })
            .collect()
    };
    let out = |node, term| linked(node, term, Direction::Outgoing);
    let into = |node, term| linked(node, term, Direction::Incoming);
    let mut selected = vec![false; graph.node_count()];
    let mut select = |nodes: &[NodeIndex]| {
        for n in nodes {
            selected[n.index()] = true;
        }
    };
    // The centre, its members and its secretariat.
    let mut core = vec![centre];
    core.extend(out(centre, org::HAS_MEMBER));
    core.extend(out(centre, pg::SECRETARIAT));
    select(&core);
    // Where they belong: every ancestor by hierarchy or placement.
    let up = [
        property(org::SUB_ORGANIZATION_OF),
        property(pg::PLACED_AT_DISPOSAL_OF),
    ];
    let upward = EdgeFiltered::from_fn(graph, |e: petgraph::graph::EdgeReference<'_, Link>| {
        up.contains(&Some(e.weight().property))
    });
    let mut bfs = Bfs::new(&upward, centre);
    for &node in &core[1..] {
        if bfs.discovered.visit(node) {
            bfs.stack.push_back(node);
        }
    }
    let mut ancestors = Vec::new();
    while let Some(node) = bfs.next(&upward) {
        ancestors.push(node);
    }
    select(&ancestors);
    // The Prime Minister's services: the direct sub-organisations of the
    // heads of government reached so far.
    let head = property(pg::HEAD_OF_GOVERNMENT);
    for &node in &ancestors {
        if loaded.graph[graph[node]].has_class(head) {
            select(&into(node, org::SUB_ORGANIZATION_OF));
        }
    }
    // The poles, the decisions that labelled them and who took these.
    let poles = out(centre, pg::COORDINATES_SUPPORT_TO);
    select(&poles);
    let mut decisions: Vec<NodeIndex> = poles
        .iter()
        .flat_map(|&p| out(p, pg::LABELLED_BY))
        .collect();
    decisions.sort();
    decisions.dedup();
    select(&decisions);
    for &decision in &decisions {
        select(&out(decision, pg::DECIDED_BY));
    }
    // The events it organised or took part in.
    select(&into(centre, crate::vocab::schema::ORGANIZER));
    select(&into(centre, crate::vocab::schema::ATTENDEE));
    selected
}
