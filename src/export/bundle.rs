//! `polegraph export --bundle DIR`: a publication folder for a data portal.
//!
//! The folder holds the dataset in every format (`dataset.ttl`, …, the
//! file names of the DCAT distributions' download URLs), the ontology, the
//! SHACL shapes, the JSON-LD context, the VoID/DCAT description as Turtle,
//! and a README. It is written aside and renamed into place at the end
//! ([`crate::io::atomic`]), so DIR never holds half a bundle.

use super::{export, write_quads};
use crate::error::BundleError;
use crate::format::GraphFormat;
use crate::io::atomic::AsideFolder;
use crate::iri::{prefixes_for, VOID_GRAPH};
use crate::store::dump_file_name;
use crate::store::Stats;
use crate::store::{graph_quads, KnowledgeGraph, ONTOLOGY_TTL};
use crate::vocab::dcterms;
use oxigraph::model::{GraphName, NamedNode, Quad, Term};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The files of a bundle besides the dumps, with what they hold.
pub const SUPPORT_FILES: &[(&str, &str)] = &[
    (
        "ontology.ttl",
        "the ontology (OWL): polegraph's own classes and properties",
    ),
    ("shapes.ttl", "the SHACL shapes the dataset conforms to"),
    (
        "context.jsonld",
        "the JSON-LD context of dataset.jsonld (also inline in it)",
    ),
    (
        "void.ttl",
        "the VoID/DCAT description: counts, sources, distributions",
    ),
    ("README.md", "this file"),
];

/// Writes the bundle of `graph` to `dir`, and returns the files written
/// (relative to `dir`). `dir` must be missing or empty unless `force`.
pub fn write_bundle(
    graph: &KnowledgeGraph,
    dir: &Path,
    force: bool,
) -> Result<Vec<PathBuf>, BundleError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| BundleError::Io { path, source }
    };
    match std::fs::metadata(dir) {
        Ok(metadata) if !metadata.is_dir() => {
            return Err(BundleError::NotEmpty(dir.to_owned(), "not a folder"))
        }
        Ok(_) => {
            let empty = std::fs::read_dir(dir).map_err(io(dir))?.next().is_none();
            if !empty && !force {
                return Err(BundleError::NotEmpty(
                    dir.to_owned(),
                    "the folder is not empty (give a new or empty folder, or --force to replace it)",
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(dir)(e)),
    }
    // An existing folder (empty, or with --force) is replaced as a whole.
    let staging = AsideFolder::beside(dir, "bundle").map_err(io(dir))?;
    // A failure names the file in DIR, not in the folder built aside (gone
    // by the time the user reads the message).
    let files = write_files(graph, staging.path()).map_err(|e| match e {
        BundleError::Io { path, source } => BundleError::Io {
            path: dir.join(path.strip_prefix(staging.path()).unwrap_or(&path)),
            source,
        },
        other => other,
    })?;
    staging.commit().map_err(io(dir))?;
    Ok(files)
}

/// Writes every file of the bundle into `dir`.
fn write_files(graph: &KnowledgeGraph, dir: &Path) -> Result<Vec<PathBuf>, BundleError> {
    let mut files = Vec::new();
    let create = |name: &str| -> Result<(PathBuf, BufWriter<File>), BundleError> {
        let path = dir.join(name);
        let file = File::create(&path).map_err(|source| BundleError::Io {
            path: path.clone(),
            source,
        })?;
        Ok((path, BufWriter::new(file)))
    };
    let finish = |path: &Path, writer: BufWriter<File>| -> Result<(), BundleError> {
        let fail = |source| BundleError::Io {
            path: path.to_owned(),
            source,
        };
        writer
            .into_inner()
            .map(drop)
            .map_err(|e| fail(e.into_error()))
    };
    for format in GraphFormat::ALL.iter().copied() {
        let name = dump_file_name(format);
        let (path, writer) = create(&name)?;
        let writer = export(graph, format, writer).map_err(|e| match e {
            crate::error::ExportError::Write(source) => BundleError::Io {
                path: path.clone(),
                source,
            },
            crate::error::ExportError::Storage(e) => BundleError::Storage(e),
        })?;
        finish(&path, writer)?;
        files.push(PathBuf::from(name));
    }
    let texts = [
        ("ontology.ttl", ONTOLOGY_TTL.to_owned()),
        ("shapes.ttl", crate::validate::SHAPES_TTL.to_owned()),
        ("context.jsonld", super::jsonld::context_document()),
        ("void.ttl", void_turtle(graph)?),
        ("README.md", readme(graph)?),
    ];
    for (name, text) in texts {
        let (path, mut writer) = create(name)?;
        writer
            .write_all(text.as_bytes())
            .map_err(|source| BundleError::Io {
                path: path.clone(),
                source,
            })?;
        finish(&path, writer)?;
        files.push(PathBuf::from(name));
    }
    Ok(files)
}

/// The quads of the VoID graph, as Turtle.
fn void_turtle(graph: &KnowledgeGraph) -> Result<String, BundleError> {
    let void_graph = NamedNode::new_unchecked(graph.graph_iri(VOID_GRAPH));
    let mut quads = graph_quads(&graph.store, void_graph.as_ref())
        .map(|q| q.map(|q| Quad::new(q.subject, q.predicate, q.object, GraphName::DefaultGraph)))
        .collect::<Result<Vec<_>, _>>()?;
    crate::export::sort_quads(&mut quads);
    let out = write_quads(
        &quads,
        GraphFormat::Turtle,
        &prefixes_for(&graph.iris),
        Vec::new(),
    )
    .map_err(|source| BundleError::Io {
        path: PathBuf::from("void.ttl"),
        source,
    })?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The literal values of `predicate` on the dataset's description.
fn dataset_values(
    graph: &KnowledgeGraph,
    predicate: oxigraph::model::NamedNodeRef<'_>,
) -> Vec<Term> {
    let subject = NamedNode::new_unchecked(graph.iris.dataset());
    let mut values: Vec<Term> = graph
        .store
        .quads_for_pattern(Some(subject.as_ref().into()), Some(predicate), None, None)
        .filter_map(Result::ok)
        .map(|q| q.object)
        .collect();
    values.sort_by_key(ToString::to_string);
    values.dedup();
    values
}

fn text_in(values: &[Term], language: &str) -> Option<String> {
    values.iter().find_map(|v| match v {
        Term::Literal(l) if l.language() == Some(language) => Some(l.value().to_owned()),
        _ => None,
    })
}

/// The README of the folder.
fn readme(graph: &KnowledgeGraph) -> Result<String, BundleError> {
    let all = Stats::of_store(&graph.store, None)?;
    let titles = dataset_values(graph, dcterms::TITLE);
    let descriptions = dataset_values(graph, dcterms::DESCRIPTION);
    let mut text = String::new();
    let title = text_in(&titles, "en")
        .or_else(|| text_in(&titles, "fr"))
        .unwrap_or_else(|| "polegraph dataset".to_owned());
    text.push_str(&format!("# {title}\n\n"));
    for language in ["fr", "en"] {
        if let Some(description) = text_in(&descriptions, language) {
            text.push_str(&format!("{description}\n\n"));
        }
    }
    text.push_str(&format!(
        "This folder publishes a knowledge graph built by polegraph {} \
         (`polegraph export --bundle`). Every fact cites its source \
         (`dcterms:source`); each primary source has its own named graph.\n\n",
        env!("CARGO_PKG_VERSION")
    ));
    text.push_str("| file | holds | media type |\n|---|---|---|\n");
    for format in GraphFormat::ALL.iter().copied() {
        let holds = if format.keeps_graphs() {
            format!("the dataset with its named graphs ({} quads)", all.quads)
        } else {
            format!("the union of the named graphs ({} triples)", all.triples)
        };
        text.push_str(&format!(
            "| `{}` | {format}: {holds} | `{}` |\n",
            dump_file_name(format),
            format.media_type()
        ));
    }
    for (name, holds) in SUPPORT_FILES {
        let media_type = match *name {
            "context.jsonld" => "application/ld+json",
            "README.md" => "text/markdown",
            _ => "text/turtle",
        };
        text.push_str(&format!("| `{name}` | {holds} | `{media_type}` |\n"));
    }
    text.push_str(&format!(
        "\nIRIs: records are `{base}{{kind}}/{{id}}` (e.g. `{base}organization/dge`), \
         named graphs `{base}graph/{{name}}`, the dataset `{base}dataset`; the \
         distributions' download URLs are `{base}dataset.{{ext}}`. Serve the files \
         there, or rebuild with `--base`.\n",
        base = graph.iris.base()
    ));
    let license = dataset_values(graph, dcterms::LICENSE);
    match license.first() {
        Some(Term::NamedNode(l)) => text.push_str(&format!("\nLicense: <{}>.\n", l.as_str())),
        _ => text.push_str("\nLicense: none given in the data.\n"),
    }
    if let Some(Term::Literal(issued)) = dataset_values(graph, dcterms::ISSUED).first() {
        text.push_str(&format!("Issued: {}.\n", issued.value()));
    }
    text.push_str(
        "\nCheck the dataset against its shapes with any SHACL engine, for example \
         `pyshacl -s shapes.ttl dataset.ttl` (the Turtle file holds the ontology graph \
         too, so `sh:class` sees the subclass axioms), or with `polegraph validate`.\n",
    );
    Ok(text)
}
