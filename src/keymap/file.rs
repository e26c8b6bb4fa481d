//! Reading one keymap file: a `[[SECTION]]` array of tables per layer (`[[table]]`,
//! `[[lake-editor]]`…), each binding with `keys`, a `command` (with its arguments:
//! `pivot key`) and a `desc`. Errors name the file and line. The flat `[[bind]]` of older
//! files is still read: it binds what the one keymap of those days reached, the table, the
//! detail pane and the overlays.

use super::{Binding, Bindings, Keymap, UNBIND};
use crate::app::call::{Call, ParseError};
use crate::app::command::Command;
use crate::app::key::{Key, KeyCode};
use crate::app::layer::{Layer, Section};
use crate::toml_error::{line_of, toml_error};
use serde::Deserialize;
use std::collections::HashMap;
use toml::Spanned;

/// The section name of older files.
const OLD_SECTION: &str = "bind";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    keys: Vec<String>,
    command: String,
    desc: Option<String>,
}

type RawFile = HashMap<Spanned<String>, Vec<Spanned<RawBinding>>>;

/// Where one file's bindings go.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Target {
    Section(Section),
    /// `[[bind]]`: the table, the detail pane and the overlays.
    Old,
}

/// Parses a keymap file; `name` is used in error messages.
pub(super) fn parse(text: &str, name: &str) -> Result<Keymap, String> {
    let file: RawFile = toml::from_str(text).map_err(|e| toml_error(name, text, &e))?;
    // In the file's order, so the first error reported is the first in the file.
    let mut sections: Vec<(Spanned<String>, Vec<Spanned<RawBinding>>)> = file.into_iter().collect();
    sections.sort_by_key(|(s, _)| s.span().start);
    let mut map = Keymap::empty();
    // Every key a section mentions, with its command and line, to catch a key bound twice.
    let mut seen: HashMap<(Section, Key), (String, usize)> = HashMap::new();
    for (section_name, entries) in sections {
        let target = target(name, text, &section_name)?;
        let home = match target {
            Target::Section(s) => s,
            Target::Old => Section::Layer(Layer::Table),
        };
        for spanned in entries {
            let line = line_of(text, spanned.span().start);
            let raw = spanned.into_inner();
            let call = read_command(name, line, &raw.command)?;
            if let Some(call) = &call {
                if !home.accepts(call.command) {
                    return Err(not_here(name, line, home, call));
                }
            }
            let mut keys = Vec::new();
            for spec in &raw.keys {
                let key = Key::parse(spec).map_err(|e| format!("{name}:{line}: {e}"))?;
                if call.is_some() && home.types_text() && types(key) {
                    return Err(format!(
                        "{name}:{line}: `{key}` types text in [[{}]]: bind a named key or one with ctrl- or alt-",
                        home.name()
                    ));
                }
                if let Some((other, at)) = seen.get(&(home, key)) {
                    return Err(format!(
                        "{name}:{line}: key `{key}` is already bound to `{other}` on line {at}"
                    ));
                }
                seen.insert((home, key), (raw.command.clone(), line));
                keys.push(key);
            }
            let desc = raw.desc.clone();
            add(&mut map, target, keys, call, desc);
        }
    }
    Ok(map)
}

/// The section a `[[name]]` names.
fn target(file: &str, text: &str, section: &Spanned<String>) -> Result<Target, String> {
    if section.as_ref() == OLD_SECTION {
        return Ok(Target::Old);
    }
    Section::from_name(section.as_ref())
        .map(Target::Section)
        .ok_or_else(|| {
            let names: Vec<&str> = Section::all().map(Section::name).collect();
            format!(
                "{file}:{}: unknown section `[[{}]]`{} (sections: {})",
                line_of(text, section.span().start),
                section.as_ref(),
                crate::did_you_mean::hint(section.as_ref(), names.iter().copied()),
                names.join(", ")
            )
        })
}

/// The binding's command, or `None` for `none` (the key unbound).
fn read_command(file: &str, line: usize, raw: &str) -> Result<Option<Call>, String> {
    if raw.trim() == UNBIND {
        return Ok(None);
    }
    let spelled = |_: Layer, c: Command| format!(":{}", c.spelling());
    match Call::parse(raw) {
        Ok(call) => Ok(Some(call)),
        Err(ParseError::Unknown(_) | ParseError::Empty) => {
            let word = raw.split_whitespace().next().unwrap_or("");
            let names = Command::names().chain([UNBIND]);
            Err(format!(
                "{file}:{line}: unknown command `{raw}`{}",
                crate::did_you_mean::hint(word, names)
            ))
        }
        Err(e) => Err(format!("{file}:{line}: `{raw}`: {}", e.message(&spelled))),
    }
}

/// A command bound where it means nothing: say where it does.
fn not_here(file: &str, line: usize, section: Section, call: &Call) -> String {
    let places: Vec<&str> = Section::all()
        .filter(|s| s.accepts(call.command))
        .map(Section::name)
        .collect();
    format!(
        "{file}:{line}: `{}` does nothing in [[{}]] (it works in: {})",
        call.spelling(),
        section.name(),
        places.join(", ")
    )
}

/// A key that types a character where text is typed.
fn types(key: Key) -> bool {
    matches!(key.code, KeyCode::Char(_)) && !key.ctrl && !key.alt
}

fn into(map: &mut Keymap, s: Section) -> &mut Bindings {
    map.sections.entry(s).or_default()
}

fn add(map: &mut Keymap, target: Target, keys: Vec<Key>, call: Option<Call>, desc: Option<String>) {
    let binding = call.map(|call| Binding {
        desc: desc.unwrap_or_else(|| call.command.description().to_string()),
        keys: keys.clone(),
        command: call.command,
        operand: call.operand,
    });
    match (target, binding) {
        (Target::Section(s), Some(b)) => into(map, s).push(b),
        (Target::Section(s), None) => into(map, s).unbound.extend(&keys),
        (Target::Old, binding) => {
            // The table has it; the detail pane and the overlays' own sections let go of these
            // keys, so theirs fall through to it (or to the overlays' shared section), as they
            // did when there was one keymap.
            match &binding {
                Some(b) => into(map, Section::Layer(Layer::Table)).push(b.clone()),
                None => into(map, Section::Layer(Layer::Table))
                    .unbound
                    .extend(&keys),
            }
            match binding {
                Some(b) if Section::Overlays.accepts(b.command) => {
                    into(map, Section::Overlays).push(b)
                }
                Some(_) => into(map, Section::Overlays).released.extend(&keys),
                None => into(map, Section::Overlays).unbound.extend(&keys),
            }
            for layer in [
                Layer::Detail,
                Layer::Help,
                Layer::Warnings,
                Layer::Columns,
                Layer::Fetch,
                Layer::Lineage,
                Layer::Marks,
                Layer::Views,
                Layer::Findings,
            ] {
                into(map, Section::Layer(layer)).released.extend(&keys);
            }
        }
    }
}
