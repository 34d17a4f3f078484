//! The competency questions (`queries/*.rq`), run through the real binary.
//!
//! Each query of `queries/` answers one competency question of the project;
//! these tests run it as a user would (`polegraph query -f queries/X.rq
//! --format json`), parse the SPARQL JSON results and check the answer the
//! seed page gives. They also check that a query gives the same bytes
//! whether it comes as an argument, from `-f FILE` or on standard input,
//! that every query file is documented, declares its own prefixes and has a
//! test here.

use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_polegraph");

const XSD_DATE: &str = "http://www.w3.org/2001/XMLSchema#date";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
const POWERPOINT: &str =
    "http://www.iana.org/assignments/media-types/application/vnd.ms-powerpoint";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn queries_dir() -> PathBuf {
    root().join("queries")
}

/// `queries/NAME.rq`, relative to the package root (the binary runs there).
fn relative_query_path(name: &str) -> String {
    format!("queries/{name}.rq")
}

/// Runs the binary in the package root with `args`, stdin closed (or fed
/// `stdin` through a pipe).
fn polegraph(args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(BIN);
    command
        .current_dir(root())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = command.spawn().expect("cannot start polegraph");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(text.as_bytes())
            .expect("cannot write the query to stdin");
    }
    let output = child.wait_with_output().expect("polegraph did not finish");
    assert!(
        output.status.success(),
        "polegraph {args:?} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The SPARQL JSON results of a SELECT query.
struct Results {
    name: String,
    raw: String,
    vars: Vec<String>,
    rows: Vec<Map<String, Value>>,
}

impl Results {
    fn run(name: &str) -> Results {
        let path = relative_query_path(name);
        let output = polegraph(&["query", "-f", &path, "--format", "json"], None);
        let raw = String::from_utf8(output.stdout).expect("the JSON results are not UTF-8");
        let json: Value = serde_json::from_str(&raw)
            .unwrap_or_else(|e| panic!("{name}: the results are not JSON ({e}):\n{raw}"));
        let vars = json["head"]["vars"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: no head.vars in\n{raw}"))
            .iter()
            .map(|v| v.as_str().expect("a variable name").to_owned())
            .collect();
        let rows = json["results"]["bindings"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: no results.bindings in\n{raw}"))
            .iter()
            .map(|row| row.as_object().expect("a binding is an object").clone())
            .collect();
        Results {
            name: name.to_owned(),
            raw,
            vars,
            rows,
        }
    }

    fn assert_vars(&self, expected: &[&str]) {
        assert_eq!(
            self.vars, expected,
            "{}: variables\n{}",
            self.name, self.raw
        );
    }

    fn assert_rows(&self, n: usize) {
        assert_eq!(
            self.rows.len(),
            n,
            "{}: number of rows\n{}",
            self.name,
            self.raw
        );
    }

    /// The binding of `var` in row `i` (it must be bound).
    fn term(&self, i: usize, var: &str) -> &Map<String, Value> {
        self.rows[i]
            .get(var)
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("{}: ?{var} unbound in row {i}\n{}", self.name, self.raw))
    }

    /// The lexical value (or IRI) of `var` in row `i`.
    fn value(&self, i: usize, var: &str) -> &str {
        self.term(i, var)["value"].as_str().expect("a value")
    }

    /// Asserts a literal's value and its language tag or datatype.
    fn assert_literal(
        &self,
        i: usize,
        var: &str,
        value: &str,
        lang: Option<&str>,
        datatype: Option<&str>,
    ) {
        let term = self.term(i, var);
        assert_eq!(
            term["type"], "literal",
            "{}: ?{var} row {i} is not a literal",
            self.name
        );
        assert_eq!(self.value(i, var), value, "{}: ?{var} row {i}", self.name);
        assert_eq!(
            term.get("xml:lang").and_then(Value::as_str),
            lang,
            "{}: language of ?{var} row {i}",
            self.name
        );
        assert_eq!(
            term.get("datatype").and_then(Value::as_str),
            datatype,
            "{}: datatype of ?{var} row {i}",
            self.name
        );
    }

    /// The values of `var` in every row, in order.
    fn column(&self, var: &str) -> Vec<&str> {
        (0..self.rows.len()).map(|i| self.value(i, var)).collect()
    }

    /// The index of the only row whose `var` is `value`.
    fn row_where(&self, var: &str, value: &str) -> usize {
        let hits: Vec<usize> = (0..self.rows.len())
            .filter(|&i| self.value(i, var) == value)
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "{}: rows with ?{var} = {value:?}\n{}",
            self.name,
            self.raw
        );
        hits[0]
    }
}

fn set<'a>(values: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    values.into_iter().collect()
}

fn run_case(name: &str, check: impl Fn(&Results)) {
    let results = Results::run(name);
    check(&results);
}

/// Declares one test per query file and the list of the files tested
/// (`TESTED`), so a name in the list always has its test.
macro_rules! competency_tests {
    ($($test:ident => $file:literal : $check:expr;)*) => {
        /// The query files (without `.rq`) that have a test below.
        const TESTED: &[&str] = &[$($file),*];
        $(
            #[test]
            fn $test() {
                run_case($file, $check);
            }
        )*
    };
}

competency_tests! {
    cq01_date => "cq01-date": |r: &Results| {
        r.assert_vars(&["event", "date"]);
        r.assert_rows(1);
        r.assert_literal(0, "event", "2e journée nationale des pôles", Some("fr"), None);
        r.assert_literal(0, "date", "2007-07-10", None, Some(XSD_DATE));
    };

    cq02_opened_by => "cq02-opened-by": |r: &Results| {
        r.assert_vars(&["name", "post", "postIn"]);
        r.assert_rows(1);
        r.assert_literal(0, "name", "Hervé Novelli", None, None);
        let post = r.value(0, "post");
        assert!(
            post.starts_with("secrétaire d'Etat chargé des Entreprises et du Commerce extérieur"),
            "post: {post}"
        );
        assert!(
            post.contains("auprès de la ministre de l'Economie, des Finances et de l'Emploi"),
            "post: {post}"
        );
        assert_eq!(r.term(0, "post")["xml:lang"], "fr");
        r.assert_literal(
            0,
            "postIn",
            "Secrétariat d'État chargé des Entreprises et du Commerce extérieur",
            Some("fr"),
            None,
        );
    };

    cq03_gti_secretariat => "cq03-gti-secretariat": |r: &Results| {
        r.assert_vars(&["acronym", "name"]);
        r.assert_rows(2);
        assert_eq!(set(r.column("acronym")), set(["DIACT", "DGE"]));
        let dge = r.row_where("acronym", "DGE");
        r.assert_literal(dge, "name", "Direction générale des entreprises", Some("fr"), None);
        let diact = r.row_where("acronym", "DIACT");
        r.assert_literal(
            diact,
            "name",
            "Délégation interministérielle à l'aménagement et à la compétitivité des territoires",
            Some("fr"),
            None,
        );
    };

    cq04_dge_ministry => "cq04-dge-ministry": |r: &Results| {
        r.assert_vars(&["ministry", "ministry_en"]);
        r.assert_rows(1);
        r.assert_literal(
            0,
            "ministry",
            "Ministère de l'Économie, des Finances et de l'Emploi",
            Some("fr"),
            None,
        );
        r.assert_literal(
            0,
            "ministry_en",
            "Ministry of the Economy, Finance and Employment",
            Some("en"),
            None,
        );
    };

    cq05_training_speakers => "cq05-training-speakers": |r: &Results| {
        r.assert_vars(&["speaker", "acronym", "organisation", "uncertain"]);
        r.assert_rows(3);
        let pairs: BTreeSet<(&str, &str)> = (0..r.rows.len())
            .map(|i| (r.value(i, "speaker"), r.value(i, "acronym")))
            .collect();
        let expected: BTreeSet<(&str, &str)> = [
            ("Isabelle Eynaud-Chevalier", "DGEFP"),
            ("Véronique Barry", "DGE"),
            ("Michel Borgonovo", "DRIRE Lorraine"),
        ]
        .into_iter()
        .collect();
        assert_eq!(pairs, expected);
        // Only the reading "Dire Lorraine" = DRIRE Lorraine is uncertain.
        for i in 0..r.rows.len() {
            let uncertain = if r.value(i, "acronym") == "DRIRE Lorraine" { "true" } else { "false" };
            r.assert_literal(i, "uncertain", uncertain, None, Some(XSD_BOOLEAN));
        }
        let drire = r.row_where("acronym", "DRIRE Lorraine");
        r.assert_literal(
            drire,
            "organisation",
            "Direction régionale de l'industrie, de la recherche et de l'environnement de Lorraine",
            Some("fr"),
            None,
        );
    };

    cq06_anr_head => "cq06-anr-head": |r: &Results| {
        r.assert_vars(&["name", "post"]);
        r.assert_rows(1);
        r.assert_literal(0, "name", "Jacqueline Lecourtier", None, None);
        r.assert_literal(0, "post", "directrice générale de l'ANR", Some("fr"), None);
    };

    cq07_slides => "cq07-slides": |r: &Results| {
        r.assert_vars(&["talk", "deck", "format", "speakers"]);
        r.assert_rows(6);
        assert_eq!(
            set(r.column("talk")),
            set([
                "Point sur la collecte des indicateurs des pôles",
                "Adaptation des formations aux besoins en compétences et problématique emploi/compétences/formation dans les pôles",
                "Pôles Automobile",
                "Pôles Santé-Biotechs",
                "Coopération avec l'ensemble des dispositifs du ministère de l'Enseignement supérieur et de la Recherche au bénéfice des pôles : RTRA, PRES, Instituts Carnot",
                "L'Agence nationale de la recherche et la dynamique des pôles",
            ])
        );
        // six distinct decks, all PowerPoint (an IANA media-type IRI)
        assert_eq!(set(r.column("deck")).len(), 6, "{}", r.raw);
        for i in 0..r.rows.len() {
            assert_eq!(r.term(i, "format")["type"], "uri", "row {i}");
            assert_eq!(r.value(i, "format"), POWERPOINT, "row {i}");
        }
        let speakers = |talk: &str| -> BTreeSet<&str> {
            let i = r.row_where("talk", talk);
            r.rows[i]
                .get("speakers")
                .and_then(|t| t["value"].as_str())
                .map(|s| s.split(", ").filter(|s| !s.is_empty()).collect())
                .unwrap_or_default()
        };
        assert_eq!(speakers("Point sur la collecte des indicateurs des pôles"), set(["SESSI"]));
        assert_eq!(
            speakers("Adaptation des formations aux besoins en compétences et problématique emploi/compétences/formation dans les pôles"),
            set(["Isabelle Eynaud-Chevalier", "Véronique Barry", "Michel Borgonovo"])
        );
        assert_eq!(
            speakers("L'Agence nationale de la recherche et la dynamique des pôles"),
            set(["Jacqueline Lecourtier"])
        );
        assert_eq!(speakers("Pôles Automobile"), BTreeSet::new());
    };

    cq08_research_schemes => "cq08-research-schemes": |r: &Results| {
        r.assert_vars(&["scheme", "name", "ministry", "talk"]);
        r.assert_rows(3);
        assert_eq!(set(r.column("scheme")), set(["RTRA", "PRES", "Instituts Carnot"]));
        assert_eq!(
            set(r.column("name")),
            set([
                "Réseaux thématiques de recherche avancée",
                "Pôles de recherche et d'enseignement supérieur",
                "Instituts Carnot",
            ])
        );
        assert_eq!(
            set(r.column("ministry")),
            set(["Ministère de l'Enseignement supérieur et de la Recherche"])
        );
    };

    cq09_gti_poles => "cq09-gti-poles": |r: &Results| {
        r.assert_vars(&["gti", "poles"]);
        r.assert_rows(1);
        r.assert_literal(
            0,
            "gti",
            "Groupe de travail interministériel (politique des pôles de compétitivité)",
            Some("fr"),
            None,
        );
        r.assert_literal(0, "poles", "71", None, Some(XSD_INTEGER));
    };

    cq10_session_kinds => "cq10-session-kinds": |r: &Results| {
        r.assert_vars(&["session", "description"]);
        r.assert_rows(2);
        assert_eq!(set(r.column("session")), set(["Interventions", "Tables rondes"]));
        let interventions = r.row_where("session", "Interventions");
        r.assert_literal(
            interventions,
            "description",
            "Interventions permettant l'information des pôles sur la stratégie de l'Etat.",
            Some("fr"),
            None,
        );
        let round_tables = r.row_where("session", "Tables rondes");
        r.assert_literal(
            round_tables,
            "description",
            "Tables rondes offrant l'occasion d'échanges entre pôles et administration.",
            Some("fr"),
            None,
        );
    };

    cq11_uncertain_facts => "cq11-uncertain-facts": |r: &Results| {
        r.assert_vars(&["s", "p", "o", "confidence"]);
        const PG: &str = "https://example.org/polegraph/ns#";
        const BASE: &str = "https://example.org/polegraph/";
        for confidence in r.column("confidence") {
            assert!(
                confidence.ends_with("uncertain") || confidence.ends_with("inferred"),
                "{confidence}"
            );
        }
        let has = |s: &str, p: &str, o: &str, confidence: &str| {
            (0..r.rows.len()).any(|i| {
                r.value(i, "s") == s
                    && r.value(i, "p") == p
                    && r.value(i, "o") == o
                    && r.value(i, "confidence") == format!("{PG}confidence-{confidence}")
            })
        };
        // The ANR's parent is "not stated for 2007" in the reference table.
        assert!(has(
            &format!("{BASE}organization/anr"),
            "http://www.w3.org/ns/org#subOrganizationOf",
            &format!("{BASE}organization/min-esr"),
            "uncertain"
        ), "{}", r.raw);
        // "Dire Lorraine" read as the DRIRE Lorraine: not verified.
        assert!(has(
            &format!("{BASE}person/michel-borgonovo"),
            "http://www.w3.org/ns/org#memberOf",
            &format!("{BASE}organization/drire-lorraine"),
            "uncertain"
        ), "{}", r.raw);
        // The 33 poles whose category the reference table infers.
        let inferred_categories: BTreeSet<&str> = (0..r.rows.len())
            .filter(|&i| {
                r.value(i, "p") == format!("{PG}category")
                    && r.value(i, "o") == format!("{PG}national")
                    && r.value(i, "confidence") == format!("{PG}confidence-inferred")
            })
            .map(|i| r.value(i, "s"))
            .collect();
        assert_eq!(inferred_categories.len(), 33, "{inferred_categories:?}");
        // The GTI's members are read off the page, not listed by it.
        assert!(has(
            &format!("{BASE}organization/gti"),
            "http://www.w3.org/ns/org#hasMember",
            &format!("{BASE}organization/anr"),
            "inferred"
        ));
    };

    cq12_sources_of_a_fact => "cq12-sources-of-a-fact": |r: &Results| {
        r.assert_vars(&["source", "title", "url"]);
        r.assert_rows(2);
        assert_eq!(
            set(r.column("source")),
            set([
                "https://example.org/polegraph/source/seed",
                "https://example.org/polegraph/source/ref-state-actors",
            ])
        );
        let seed = r.row_where("source", "https://example.org/polegraph/source/seed");
        r.assert_literal(seed, "title", "La 2e journée nationale des pôles du 10 juillet 2007", None, None);
    };

    cq13_posts_on_a_date => "cq13-posts-on-a-date": |r: &Results| {
        r.assert_vars(&["name", "post", "organisation"]);
        r.assert_rows(3);
        assert_eq!(
            set(r.column("name")),
            set(["Hervé Novelli", "Jacqueline Lecourtier", "Laurent Buisson"])
        );
        let anr = r.row_where("name", "Jacqueline Lecourtier");
        r.assert_literal(anr, "post", "directrice générale de l'ANR", Some("fr"), None);
        let novelli = r.row_where("name", "Hervé Novelli");
        assert!(r
            .value(novelli, "post")
            .starts_with("secrétaire d'Etat chargé des Entreprises et du Commerce extérieur"));
    };
}

/// The names (without `.rq`) of the files of `queries/`.
fn query_files() -> BTreeSet<String> {
    std::fs::read_dir(queries_dir())
        .expect("cannot list queries/")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rq"))
        .map(|path| {
            path.file_stem()
                .and_then(|s| s.to_str())
                .expect("a UTF-8 file name")
                .to_owned()
        })
        .collect()
}

fn query_text(name: &str) -> String {
    std::fs::read_to_string(queries_dir().join(format!("{name}.rq")))
        .unwrap_or_else(|e| panic!("cannot read {name}.rq: {e}"))
}

#[test]
fn every_query_file_has_a_test_and_every_test_a_file() {
    let files = query_files();
    let tested: BTreeSet<String> = TESTED.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(TESTED.len(), tested.len(), "a query is tested twice");
    let untested: Vec<_> = files.difference(&tested).collect();
    let missing: Vec<_> = tested.difference(&files).collect();
    assert!(
        untested.is_empty(),
        "query files without a test in tests/competency.rs: {untested:?}"
    );
    assert!(
        missing.is_empty(),
        "tests of missing query files: {missing:?}"
    );
}

#[test]
fn every_query_file_has_its_header() {
    let mut numbers = BTreeSet::new();
    for name in query_files() {
        let text = query_text(&name);
        let lines: Vec<&str> = text.lines().collect();
        // cqNN-… names question NN
        let number: u32 = name
            .strip_prefix("cq")
            .and_then(|rest| rest.split('-').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{name}.rq: the name must be cqNN-<topic>.rq"));
        assert!(numbers.insert(number), "two files answer question {number}");
        let header = |i: usize, start: &str| -> &str {
            let line = lines.get(i).copied().unwrap_or("");
            let rest = line.strip_prefix(start).unwrap_or_else(|| {
                panic!(
                    "{name}.rq line {}: expected `{start}…`, found `{line}`",
                    i + 1
                )
            });
            assert!(!rest.trim().is_empty(), "{name}.rq line {}: empty", i + 1);
            rest
        };
        header(0, &format!("# Competency question {number}: "));
        header(1, "# Expected answer: ");
        header(2, "# ");
        assert!(
            text.contains("ORDER BY"),
            "{name}.rq: no ORDER BY (results must be deterministic)"
        );
    }
}

/// Parses `text` with no predeclared prefix (as another SPARQL engine
/// would).
fn parses_without_predeclared_prefixes(text: &str) -> Result<(), String> {
    oxigraph::sparql::SparqlEvaluator::new()
        .parse_query(text)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn every_query_declares_its_prefixes() {
    // The check itself can fail: polegraph predeclares pg:, plain SPARQL does not.
    assert!(parses_without_predeclared_prefixes("SELECT * WHERE { ?s pg:acronym ?o }").is_err());
    for name in query_files() {
        if let Err(e) = parses_without_predeclared_prefixes(&query_text(&name)) {
            panic!("{name}.rq does not parse without polegraph's prefixes: {e}");
        }
    }
}

/// The stdout of `polegraph query` for the query `name`, given as the
/// argument, through `-f FILE` and on stdin, with `format` (None: the
/// default, tsv since stdout is a pipe).
fn three_ways(name: &str, format: Option<&str>) -> [Vec<u8>; 3] {
    let text = query_text(name);
    let path = relative_query_path(name);
    let with_format = |mut args: Vec<String>| -> Vec<String> {
        if let Some(f) = format {
            args.push("--format".into());
            args.push(f.into());
        }
        args
    };
    let run = |args: Vec<String>, stdin: Option<&str>| -> Vec<u8> {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        polegraph(&args, stdin).stdout
    };
    [
        run(with_format(vec!["query".into(), text.clone()]), None),
        run(with_format(vec!["query".into(), "-f".into(), path]), None),
        run(with_format(vec!["query".into()]), Some(&text)),
    ]
}

#[test]
fn a_query_gives_the_same_bytes_from_argument_file_and_stdin() {
    let names = [
        "cq01-date",
        "cq05-training-speakers",
        "cq07-slides",
        "cq09-gti-poles",
    ];
    for name in names {
        for format in [Some("csv"), None] {
            let [argument, file, stdin] = three_ways(name, format);
            let shown = String::from_utf8_lossy(&argument);
            assert!(!argument.is_empty(), "{name} {format:?}: no output");
            // csv heads its columns with bare names, tsv with ?names
            let first = shown.lines().next().unwrap_or("");
            match format {
                Some("csv") => assert!(
                    !first.starts_with('?') && first.contains(','),
                    "{name}: not csv:\n{shown}"
                ),
                _ => assert!(
                    first.starts_with('?') && first.contains('\t'),
                    "{name}: not tsv:\n{shown}"
                ),
            }
            assert_eq!(
                argument,
                file,
                "{name} {format:?}: argument and -f FILE differ:\n{shown}\n---\n{}",
                String::from_utf8_lossy(&file)
            );
            assert_eq!(
                argument,
                stdin,
                "{name} {format:?}: argument and stdin differ:\n{shown}\n---\n{}",
                String::from_utf8_lossy(&stdin)
            );
        }
    }
}
