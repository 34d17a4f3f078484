//! Embeds the built-in dataset (`data/*.toml`, `data/*.csv`) and the
//! ontology in the binary, so every command works from any folder.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let data = Path::new(&root).join("data");
    println!("cargo:rerun-if-changed={}", data.display());

    let mut names: Vec<String> = std::fs::read_dir(&data)
        .expect("the data folder is readable")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml") || name.ends_with(".csv"))
        .collect();
    names.sort();

    let mut code = String::from("/// The built-in data files: (file name, contents).\n");
    code.push_str("pub const BUILTIN_DATA: &[(&str, &str)] = &[\n");
    for name in &names {
        let path = data.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a String cannot fail");
    }
    code.push_str("];\n");

    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_data.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
