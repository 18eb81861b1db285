//! Converts standard input with the built-in engine: `builtin_convert CONFIG [DATA_DIR]`.
//! With DATA_DIR, the configuration is compiled from that OpenCC data directory instead.

use std::io::Read;

use zhnorm_script::Engine;
use zhnorm_script::builtin::BuiltinEngine;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let config = args
        .next()
        .ok_or("usage: builtin_convert CONFIG [DATA_DIR]")?;
    let engine = match args.next() {
        Some(dir) => BuiltinEngine::load_from_dir(&config, std::path::Path::new(&dir))?,
        None => BuiltinEngine::load(&config)?,
    };
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    print!("{}", engine.convert(&text));
    Ok(())
}
