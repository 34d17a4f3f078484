//! Step 4, draw: the selected nodes become a [`Diagram`], with the poles
//! grouped by category in the default diagram, clusters and a legend.

use super::error::DiagramError;
use super::filter::Filter;
use super::load::{FastSet, Loaded, Terms, NO_SOURCES};
use super::options::{ClusterBy, DiagramOptions, Selection, CENTRE};
use super::scene::{Cluster, Diagram, DiagramEdge, DiagramNode, LegendEntry};
use super::select::{around_centre, nearest_within, neighbourhood, resolve_record, View};
use super::style;
use super::text::{
    full_name, local_name, node_text, short_name, wrap, Labels, EDGE_WRAP, MAX_LINES, WRAP,
};
use crate::iri::{Iris, RecordKind};
use crate::model::Confidence;
use crate::vocab::{org, pg};
use oxigraph::store::{StorageError, Store};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

pub(super) fn draw(
    loaded: &Loaded,
    store: &Store,
    iris: &Iris,
    options: &DiagramOptions,
    query_result: bool,
) -> Result<Diagram, DiagramError> {
    let centre = match &options.selection {
        Selection::Focus { record, .. } => Some(resolve_record(loaded, iris, record)?),
        Selection::Default if !query_result => {
            let iri = iris.record(RecordKind::Organization, CENTRE);
            Some(loaded.find(&iri).ok_or(DiagramError::NoCentre { iri })?)
        }
        _ => None,
    };
    let filter = Filter::resolve(loaded, store, iris, options)?;
    let view = View::new(loaded, &filter, centre);
    let start = centre.and_then(|c| view.index(c));
    // Poles are grouped by category in the default and focus diagrams
    // (the focus record itself stays a node of its own).
    let group_poles = matches!(
        options.selection,
        Selection::Default | Selection::Focus { .. }
    ) && !query_result
        && !options.expand_poles;
    let pole_class = loaded.term_id(pg::POLE);
    let pole_group = |node: NodeIndex| {
        let resource = view.graph[node];
        let r = &loaded.graph[resource];
        (group_poles && r.has_class(pole_class) && Some(resource) != centre).then_some(r.category)
    };
    let mut omitted = 0;
    let selected = match (&options.selection, start) {
        (Selection::Focus { depth, .. }, Some(start)) => {
            let distance = neighbourhood(&view, start, *depth);
            match options.max_nodes {
                Some(max) => {
                    let (selected, left_out) = nearest_within(&view, &distance, max, pole_group);
                    omitted = left_out;
                    selected
                }
                None => distance.iter().map(Option::is_some).collect(),
            }
        }
        (Selection::Default, Some(start)) => around_centre(&view, loaded, start),
        _ => vec![true; view.graph.node_count()],
    };
    if let (Some(max), false) = (
        options.max_nodes,
        matches!(options.selection, Selection::Focus { .. }),
    ) {
        // Counted before anything is built: a group of poles is one node.
        let nodes = drawn_count(&selected, pole_group);
        if nodes > max {
            return Err(DiagramError::TooManyNodes { nodes, max });
        }
    }
    let texts = style::texts(options.lang);
    let mut labels = Labels::new(store, iris, options.lang);
    let mut builder = Builder {
        loaded,
        styles: class_styles(&loaded.terms),
        diagram: DiGraph::new(),
        origin: Vec::new(),
        drawn: vec![None; view.graph.node_count()],
        edge_texts: Vec::new(),
        groups: BTreeMap::new(),
    };
    for node in view.graph.node_indices().filter(|n| selected[n.index()]) {
        let resource = view.graph[node];
        match pole_group(node) {
            Some(category) => {
                let inferred = loaded.graph[resource].category_inferred;
                builder.add_to_group(node, category, inferred);
            }
            None => builder.add_node(node, resource),
        }
    }
    builder.finish_groups(&mut labels, texts)?;
    builder.add_edges(&view, &selected, &mut labels)?;
    let Builder {
        diagram: graph,
        origin,
        ..
    } = builder;
    let clusters = clusters(&graph, &origin, loaded, options.cluster_by, &mut labels)?;
    let legend = legend(&graph, &mut labels)?;
    let legend_lines = [
        (Confidence::Uncertain, texts.uncertain_link),
        (Confidence::Inferred, texts.inferred_link),
    ]
    .into_iter()
    .filter(|(c, _)| graph.edge_weights().any(|e| e.confidence == *c))
    .map(|(c, text)| (c, text.to_owned()))
    .collect();
    let title = match (&options.selection, centre) {
        (_, _) if query_result && !matches!(options.selection, Selection::Focus { .. }) => {
            texts.query_title.to_owned()
        }
        (Selection::Focus { depth, .. }, Some(c)) => format!(
            "{} {} ({} {depth})",
            texts.focus_title,
            short_name(&loaded.graph[c]),
            texts.depth
        ),
        (Selection::Default, Some(c)) => {
            format!("{} {}", texts.default_title, short_name(&loaded.graph[c]))
        }
        _ => texts.all_title.to_owned(),
    };
    let title = match (omitted, options.max_nodes) {
        (0, _) | (_, None) => title,
        (n, Some(max)) => {
            let note = texts
                .omitted
                .replace("{n}", &n.to_string())
                .replace("{max}", &max.to_string());
            format!("{title}\n{note}")
        }
    };
    Ok(Diagram {
        omitted,
        graph,
        clusters,
        legend,
        legend_lines,
        legend_title: texts.legend.to_owned(),
        title,
        rankdir: options.rankdir,
    })
}

/// How many nodes the selected nodes make once the poles of a category are
/// one node (`group_of` tells a pole's group).
fn drawn_count<K: Ord>(selected: &[bool], group_of: impl Fn(NodeIndex) -> Option<K>) -> usize {
    let mut groups = BTreeSet::new();
    let mut alone = 0;
    for (node, _) in selected.iter().enumerate().filter(|(_, s)| **s) {
        match group_of(NodeIndex::new(node)) {
            Some(group) => {
                groups.insert(group);
            }
            None => alone += 1,
        }
    }
    alone + groups.len()
}

/// For each interned term, its place in [`style::CLASS_STYLES`] if it is
/// one of the styled classes.
fn class_styles(terms: &Terms) -> Vec<Option<usize>> {
    terms
        .names
        .iter()
        .map(|name| {
            style::CLASS_STYLES
                .iter()
                .position(|style| style.class == name.as_ref())
        })
        .collect()
}

/// A link's hover text: its property, the sources that state it, and its
/// confidence when it is not confirmed.
fn edge_tooltip<'s>(
    property: &str,
    sources: impl IntoIterator<Item = &'s str>,
    confidence: Confidence,
    texts: &style::Texts,
) -> Arc<str> {
    let sources: Vec<&str> = sources.into_iter().collect();
    let mut text = property.to_owned();
    if !sources.is_empty() {
        text.push_str(&format!("\n{} : {}", texts.sources, sources.join(", ")));
    }
    match confidence {
        Confidence::Confirmed => {}
        Confidence::Uncertain => text.push_str(&format!("\n{}", texts.uncertain)),
        Confidence::Inferred => text.push_str(&format!("\n{}", texts.inferred)),
    }
    text.into()
}

/// Builds the diagram graph from the selected nodes of the view.
struct Builder<'l> {
    loaded: &'l Loaded,
    /// Term id → place in the style table.
    styles: Vec<Option<usize>>,
    diagram: DiGraph<DiagramNode, DiagramEdge>,
    /// Diagram index → loaded index (none for a group of poles).
    origin: Vec<Option<NodeIndex>>,
    /// View index → diagram index.
    drawn: Vec<Option<NodeIndex>>,
    /// Property id → its IRI and label.
    edge_texts: Vec<Option<(Arc<str>, Arc<str>)>>,
    /// Category (None: no category) → the view nodes of its poles.
    /// and how many of them have an inferred category.
    groups: BTreeMap<Option<String>, (Vec<NodeIndex>, usize)>,
}

impl<'l> Builder<'l> {
    fn add_node(&mut self, view_node: NodeIndex, resource: NodeIndex) {
        let r = &self.loaded.graph[resource];
        let style = if r.literal.is_some() {
            &style::LITERAL
        } else {
            r.classes
                .iter()
                .filter_map(|&c| self.styles.get(c as usize).copied().flatten())
                .min()
                .map_or(&style::OTHER, |i| &style::CLASS_STYLES[i])
        };
        let (label, tooltip) = node_text(r);
        let index = self.diagram.add_node(DiagramNode {
            id: r.id.to_string(),
            label,
            tooltip,
            style,
            group: None,
            url: None,
        });
        self.drawn[view_node.index()] = Some(index);
        self.origin.push(Some(resource));
    }

    fn add_to_group(&mut self, view_node: NodeIndex, category: Option<u32>, inferred: bool) {
        let category = category.map(|c| self.loaded.terms.name(c).to_owned());
        let group = self.groups.entry(category).or_default();
        group.0.push(view_node);
        group.1 += usize::from(inferred);
    }

    fn finish_groups(
        &mut self,
        labels: &mut Labels<'_>,
        texts: &style::Texts,
    ) -> Result<(), StorageError> {
        let pole_style = style::style_of(|c| c == pg::POLE.as_str());
        for (category, (members, inferred)) in std::mem::take(&mut self.groups) {
            let name = match &category {
                Some(iri) => labels
                    .ontology_label(iri)?
                    .unwrap_or_else(|| local_name(iri).to_owned()),
                None => texts.no_category.to_owned(),
            };
            let count = members.len();
            let unit = if count == 1 {
                texts.poles_one
            } else {
                texts.poles_many
            };
            let label = format!("{}\n{count} {unit}", wrap(&name, WRAP, MAX_LINES));
            let id = format!("pole-group:{}", category.as_deref().unwrap_or("none"));
            let mut tooltip = format!("{name}: {count} {unit}");
            if inferred > 0 {
                let note = texts
                    .inferred_category
                    .replace("{n}", &inferred.to_string());
                tooltip.push_str(&format!(" ({note})"));
            }
            let index = self.diagram.add_node(DiagramNode {
                tooltip,
                id,
                label,
                style: pole_style,
                group: Some(count),
                url: None,
            });
            self.origin.push(None);
            for member in members {
                self.drawn[member.index()] = Some(index);
            }
        }
        Ok(())
    }

    fn add_edges(
        &mut self,
        view: &View,
        selected: &[bool],
        labels: &mut Labels<'_>,
    ) -> Result<(), StorageError> {
        // Links to or from a group: (source, target, property, confidence)
        // → count and sources (links of different confidence stay apart).
        type Key = (NodeIndex, NodeIndex, u32, Confidence);
        let mut grouped: BTreeMap<Key, (usize, BTreeSet<&str>)> = BTreeMap::new();
        let texts = style::texts(labels.lang);
        for edge in view.graph.edge_references() {
            let (s, t) = (edge.source(), edge.target());
            if !selected[s.index()] || !selected[t.index()] {
                continue;
            }
            let (Some(a), Some(b)) = (self.drawn[s.index()], self.drawn[t.index()]) else {
                continue;
            };
            let link = edge.weight();
            let sources = self.sources_of(link.sources);
            if self.diagram[a].group.is_some() || self.diagram[b].group.is_some() {
                if a != b {
                    let entry = grouped
                        .entry((a, b, link.property, link.confidence))
                        .or_default();
                    entry.0 += 1;
                    entry.1.extend(sources);
                }
                continue;
            }
            let (property, label) = self.edge_texts(link.property, labels)?;
            let tooltip = edge_tooltip(&property, sources, link.confidence, texts);
            self.diagram.add_edge(
                a,
                b,
                DiagramEdge {
                    property,
                    label,
                    count: 1,
                    confidence: link.confidence,
                    tooltip,
                },
            );
        }
        for ((a, b, property, confidence), (count, sources)) in grouped {
            let (property, label) = self.edge_texts(property, labels)?;
            let label = format!("{label} ({count})").into();
            let tooltip = edge_tooltip(&property, sources, confidence, texts);
            self.diagram.add_edge(
                a,
                b,
                DiagramEdge {
                    property,
                    label,
                    count,
                    confidence,
                    tooltip,
                },
            );
        }
        Ok(())
    }

    /// The source ids of a link's interned source list.
    fn sources_of(&self, sources: u32) -> impl Iterator<Item = &'l str> + 'l {
        let list = match sources {
            NO_SOURCES => "",
            s => self.loaded.terms.name(s),
        };
        list.split(", ").filter(|s| !s.is_empty())
    }

    /// The IRI and the wrapped label of a property, made once.
    fn edge_texts(
        &mut self,
        property: u32,
        labels: &mut Labels<'_>,
    ) -> Result<(Arc<str>, Arc<str>), StorageError> {
        let slot = property as usize;
        if self.edge_texts.len() <= slot {
            self.edge_texts.resize(slot + 1, None);
        }
        if self.edge_texts[slot].is_none() {
            let iri = self.loaded.terms.name(property);
            let label = wrap(&labels.term(iri)?, EDGE_WRAP, MAX_LINES);
            self.edge_texts[slot] = Some((iri.into(), label.into()));
        }
        Ok(self.edge_texts[slot].clone().unwrap_or_default())
    }
}

/// The boxes of the diagram.
pub(super) fn clusters(
    graph: &DiGraph<DiagramNode, DiagramEdge>,
    origin: &[Option<NodeIndex>],
    loaded: &Loaded,
    cluster_by: ClusterBy,
    labels: &mut Labels<'_>,
) -> Result<Vec<Cluster>, StorageError> {
    let mut boxes: BTreeMap<String, Vec<NodeIndex>> = BTreeMap::new();
    match cluster_by {
        ClusterBy::None => {}
        ClusterBy::Kind => {
            for node in graph.node_indices() {
                boxes
                    .entry(graph[node].style.class.to_owned())
                    .or_default()
                    .push(node);
            }
        }
        ClusterBy::Ministry => {
            // Ministries and heads of government drawn, by loaded index.
            let roots: FastSet<NodeIndex> = graph
                .node_indices()
                .filter(|&n| {
                    let class = graph[n].style.class;
                    graph[n].group.is_none()
                        && (class == pg::MINISTRY.as_str()
                            || class == pg::HEAD_OF_GOVERNMENT.as_str())
                })
                .filter_map(|n| origin[n.index()])
                .collect();
            let parent = loaded.term_id(org::SUB_ORGANIZATION_OF);
            for node in graph.node_indices() {
                let Some(start) = origin[node.index()] else {
                    continue;
                };
                let root = if roots.contains(&start) {
                    Some(start)
                } else {
                    nearest_root(loaded, start, parent, &roots)
                };
                if let Some(root) = root {
                    boxes
                        .entry(loaded.graph[root].id.to_string())
                        .or_default()
                        .push(node);
                }
            }
        }
    }
    let mut clusters = Vec::new();
    for (key, mut members) in boxes {
        if members.len() < 2 || key.is_empty() {
            continue;
        }
        members.sort_by(|a, b| graph[*a].id.cmp(&graph[*b].id));
        let label = match cluster_by {
            ClusterBy::Kind => labels.term(&key)?,
            _ => {
                let root = loaded.index.get(key.as_str()).map(|&n| &loaded.graph[n]);
                let name = root.map_or_else(|| local_name(&key).to_owned(), full_name);
                wrap(&name, 40, 2)
            }
        };
        clusters.push(Cluster {
            key,
            label,
            members,
        });
    }
    Ok(clusters)
}

/// The closest ministry (or head of government) of the diagram above
/// `start` in the organisation hierarchy, searched level by level (the
/// smallest IRI wins a tie).
fn nearest_root(
    loaded: &Loaded,
    start: NodeIndex,
    parent: Option<u32>,
    roots: &FastSet<NodeIndex>,
) -> Option<NodeIndex> {
    let parent = parent?;
    let parents = |node: NodeIndex| {
        loaded
            .graph
            .edges_directed(node, Direction::Outgoing)
            .filter(move |e| e.weight().property == parent)
            .map(|e| e.target())
    };
    let mut seen = vec![start];
    let mut level: Vec<NodeIndex> = parents(start).collect();
    while !level.is_empty() {
        let found = level
            .iter()
            .filter(|n| roots.contains(n))
            .min_by(|a, b| loaded.graph[**a].id.cmp(&loaded.graph[**b].id));
        if let Some(&found) = found {
            return Some(found);
        }
        seen.extend(&level);
        let mut next: Vec<NodeIndex> = level.iter().flat_map(|&n| parents(n)).collect();
        next.retain(|n| !seen.contains(n));
        next.sort();
        next.dedup();
        level = next;
    }
    None
}

/// One legend entry per style drawn, in the order of the style table.
pub(super) fn legend(
    graph: &DiGraph<DiagramNode, DiagramEdge>,
    labels: &mut Labels<'_>,
) -> Result<Vec<LegendEntry>, StorageError> {
    let used: HashSet<&str> = graph
        .node_weights()
        .filter(|n| n.group.is_none())
        .map(|n| n.style.class)
        .collect();
    let literal_used = graph
        .node_weights()
        .any(|n| std::ptr::eq(n.style, &style::LITERAL));
    let other_used = graph
        .node_weights()
        .any(|n| std::ptr::eq(n.style, &style::OTHER));
    let grouped = graph.node_weights().find(|n| n.group.is_some());
    let mut entries = Vec::new();
    for style in style::CLASS_STYLES {
        if used.contains(style.class) {
            entries.push(LegendEntry {
                label: labels.term(style.class)?,
                style,
                group: false,
            });
        }
        if style.class == pg::POLE.as_str() {
            if let Some(group) = grouped {
                entries.push(LegendEntry {
                    label: style::texts(labels.lang).pole_group.to_owned(),
                    style: group.style,
                    group: true,
                });
            }
        }
    }
    for (used, style) in [(other_used, &style::OTHER), (literal_used, &style::LITERAL)] {
        if used {
            entries.push(LegendEntry {
                label: labels.lang.pick(style.fr, style.en).to_owned(),
                style,
                group: false,
            });
        }
    }
    Ok(entries)
}
