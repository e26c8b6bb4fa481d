//! The README and docs/ hold together: every relative link and image points at a file that
//! exists in the repository, every `#anchor` (in the page, or `page.md#anchor`) names a
//! heading there by GitHub's slug rule, every file in docs/ is linked from the README, and the
//! README stays short enough for a newcomer (under 250 lines). External links are not fetched:
//! this runs offline.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

/// The README's length limit, in lines (issue 19: a README a newcomer can read).
const README_MAX_LINES: usize = 250;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A link or image in a page: where it is, how it is written, where it points.
#[derive(Debug, PartialEq, Eq)]
struct Link {
    line: usize,
    written: String,
    target: String,
}

/// Blanks inline code spans (`` `a](b)` `` is not a link), keeping everything else in place.
fn without_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&c| c == '`').count();
        // The span closes at the next run of exactly as many backticks.
        let mut j = i + run;
        let mut close = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let n = chars[j..].iter().take_while(|&&c| c == '`').count();
                if n == run {
                    close = Some(j);
                    break;
                }
                j += n;
            } else {
                j += 1;
            }
        }
        match close {
            Some(j) => {
                out.extend(std::iter::repeat_n(' ', j + run - i));
                i = j + run;
            }
            None => {
                out.extend(&chars[i..i + run]);
                i += run;
            }
        }
    }
    out
}

/// The page's lines outside fenced code blocks, numbered from 1, code spans blanked.
fn prose_lines(text: &str) -> Vec<(usize, String)> {
    let mut fence: Option<(char, usize)> = None;
    let mut lines = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.chars().take_while(|&c| c == m).count());
        match (fence, marker) {
            (None, Some(m)) if run >= 3 => fence = Some((m, run)),
            (Some((m, open)), Some(c))
                if c == m && run >= open && trimmed[run..].trim().is_empty() =>
            {
                fence = None
            }
            (None, _) => lines.push((n + 1, without_code_spans(line))),
            _ => {}
        }
    }
    lines
}

/// Inline links and images (`[text](target)`, `![alt](target "title")`, `[t](<a b>)`) and
/// reference definitions (`[label]: target`), outside code.
fn links(text: &str) -> Vec<Link> {
    let mut found = Vec::new();
    for (line, prose) in prose_lines(text) {
        if let Some(def) = reference_definition(&prose) {
            found.push(Link {
                line,
                written: prose.trim().to_string(),
                target: def,
            });
            continue;
        }
        let chars: Vec<char> = prose.chars().collect();
        for at in 0..chars.len().saturating_sub(1) {
            if chars[at] != ']' || chars[at + 1] != '(' {
                continue;
            }
            // The link text's opening bracket, brackets inside it balanced.
            let mut depth = 0usize;
            let mut open = None;
            for k in (0..at).rev() {
                match chars[k] {
                    ']' if k == 0 || chars[k - 1] != '\\' => depth += 1,
                    '[' if k == 0 || chars[k - 1] != '\\' => {
                        if depth == 0 {
                            open = Some(k);
                            break;
                        }
                        depth -= 1;
                    }
                    _ => {}
                }
            }
            let Some(open) = open else { continue };
            let start = if open > 0 && chars[open - 1] == '!' {
                open - 1
            } else {
                open
            };
            let Some((target, end)) = destination(&chars, at + 2) else {
                continue;
            };
            found.push(Link {
                line,
                written: chars[start..end].iter().collect(),
                target,
            });
        }
    }
    found
}

/// `[label]: target` at the start of a line.
fn reference_definition(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix('[')?;
    let (label, after) = rest.split_once("]:")?;
    if label.is_empty() || label.contains('[') || line.len() - line.trim_start().len() > 3 {
        return None;
    }
    let target = after.split_whitespace().next()?;
    Some(
        target
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_string(),
    )
}

/// A link destination starting at `from` (just after the `(`): the target, and the index
/// just past the closing `)`.
fn destination(chars: &[char], from: usize) -> Option<(String, usize)> {
    let mut i = from;
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    let mut target = String::new();
    if chars.get(i) == Some(&'<') {
        i += 1;
        while *chars.get(i)? != '>' {
            target.push(chars[i]);
            i += 1;
        }
        i += 1;
    } else {
        let mut depth = 0usize;
        while let Some(&c) = chars.get(i) {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => break,
                ')' => depth -= 1,
                c if c.is_whitespace() => break,
                _ => {}
            }
            target.push(c);
            i += 1;
        }
    }
    // An optional title, then the closing parenthesis.
    while *chars.get(i)? != ')' {
        i += 1;
    }
    Some((target, i + 1))
}

/// A heading's anchor, as GitHub makes it: the text as rendered (link targets, emphasis and
/// code marks dropped), lower-cased, punctuation other than `-` and `_` removed, each space a
/// `-`.
fn slug(heading: &str) -> String {
    let mut text = String::new();
    let chars: Vec<char> = heading.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // `[text](target)` renders as `text`.
        if chars[i] == ']' && chars.get(i + 1) == Some(&'(') {
            if let Some((_, end)) = destination(&chars, i + 2) {
                i = end;
                continue;
            }
        }
        text.push(chars[i]);
        i += 1;
    }
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Every anchor a page offers: its headings' slugs (a repeated one gets `-1`, `-2`…, as on
/// GitHub) and explicit `<a id="…">` / `<a name="…">` anchors.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut found = BTreeSet::new();
    for (_, line) in prose_lines(text) {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        let level = trimmed.chars().take_while(|&c| c == '#').count();
        let rest = &trimmed[level..];
        if indent <= 3 && (1..=6).contains(&level) && (rest.is_empty() || rest.starts_with(' ')) {
            let title = rest.trim().trim_end_matches('#').trim_end();
            let base = slug(title);
            let n = seen.entry(base.clone()).or_insert(0);
            found.insert(if *n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            });
            *n += 1;
        }
        for attr in ["id=\"", "name=\""] {
            for (at, _) in line.match_indices(attr) {
                let value: String = line[at + attr.len()..]
                    .chars()
                    .take_while(|&c| c != '"')
                    .collect();
                found.insert(value);
            }
        }
    }
    found
}

/// `%20` and friends, as a browser reads them in a link.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a/b/../c` → `a/c`, without touching the file system; `None` when it climbs above `root`.
fn normalized(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

fn is_external(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    ["http://", "https://", "mailto:", "ftp://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// What is wrong with the links of `page` (a path relative to `root`), one message each,
/// naming the page, the line and the link as written; and the files its links reach.
fn check_page(root: &Path, page: &Path) -> (Vec<String>, Vec<PathBuf>) {
    let text = std::fs::read_to_string(root.join(page))
        .unwrap_or_else(|e| panic!("{}: {e}", page.display()));
    let dir = page.parent().unwrap_or(Path::new(""));
    let mut problems = Vec::new();
    let mut reached = Vec::new();
    for link in links(&text) {
        let at = format!("{}:{}: {}", page.display(), link.line, link.written);
        if is_external(&link.target) {
            continue;
        }
        let (path, fragment) = match link.target.split_once('#') {
            Some((p, f)) => (percent_decoded(p), Some(percent_decoded(f))),
            None => (percent_decoded(&link.target), None),
        };
        if path.is_empty() && fragment.is_none() {
            problems.push(format!("{at}: the link has no target"));
            continue;
        }
        if path.starts_with('/') || path.contains("://") {
            problems.push(format!(
                "{at}: `{path}` is not a path relative to {}",
                dir.display()
            ));
            continue;
        }
        let target = if path.is_empty() {
            page.to_path_buf()
        } else {
            match normalized(&dir.join(&path)) {
                Some(t) => t,
                None => {
                    problems.push(format!("{at}: `{path}` points outside the repository"));
                    continue;
                }
            }
        };
        let on_disk = root.join(&target);
        if !on_disk.exists() {
            problems.push(format!("{at}: {} does not exist", target.display()));
            continue;
        }
        reached.push(target.clone());
        let Some(fragment) = fragment else { continue };
        if target.extension().is_some_and(|e| e == "md") {
            let offered = anchors(&std::fs::read_to_string(&on_disk).unwrap_or_default());
            if !offered.contains(&fragment) {
                problems.push(format!(
                    "{at}: no heading in {} has the anchor `#{fragment}` (it has: {})",
                    target.display(),
                    offered.iter().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
        } else {
            // Source files: GitHub's line anchors only.
            let lines = fragment.split('-').all(|p| {
                p.strip_prefix('L')
                    .is_some_and(|n| n.parse::<u32>().is_ok())
            });
            if !lines {
                problems.push(format!(
                    "{at}: `#{fragment}` in {} is neither a heading (not Markdown) nor a line (#L12)",
                    target.display()
                ));
            }
        }
    }
    (problems, reached)
}

/// docs/ and everything under it, relative to the root, sorted.
fn docs_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![PathBuf::from("docs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(root.join(&dir))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
        {
            let path = dir.join(entry.file_name());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The README and every Markdown page in docs/.
fn pages(root: &Path) -> Vec<PathBuf> {
    let mut pages = vec![PathBuf::from("README.md")];
    pages.extend(
        docs_files(root)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md")),
    );
    pages
}

#[test]
fn every_relative_link_and_image_of_the_readme_and_docs_resolves() {
    let root = root();
    let pages = pages(&root);
    assert!(pages.len() > 5, "docs/ holds the reference: {pages:?}");
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let (p, reached) = check_page(&root, page);
        problems.extend(p);
        checked += reached.len();
    }
    assert!(checked > 50, "only {checked} links checked");
    assert!(
        problems.is_empty(),
        "{} broken link(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_file_in_docs_is_linked_from_the_readme() {
    let root = root();
    let (_, reached) = check_page(&root, Path::new("README.md"));
    let files = docs_files(&root);
    assert!(!files.is_empty(), "docs/ is empty");
    let unlinked: Vec<String> = files
        .iter()
        .filter(|f| !reached.contains(f))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        unlinked.is_empty(),
        "README.md links to none of: {}",
        unlinked.join(", ")
    );
}

#[test]
fn the_readme_is_under_250_lines() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let lines = readme.lines().count();
    assert!(
        lines < README_MAX_LINES,
        "README.md has {lines} lines; keep it under {README_MAX_LINES} and move reference to docs/"
    );
}

// The checker itself, on pages made for it.

#[test]
fn links_are_found_in_prose_and_not_in_code() {
    let page = "See [a](a.md) and ![pic](img/p.svg \"title\") and [b](<with space.md>).\n\
        `[not](code.md)` and ``[nor](this.md)``, [paren](f(1).md#x)\n\
        ```sh\n[fenced](no.md)\n```\n\
        ~~~~\n```\n[still fenced](no.md)\n~~~~\n\
        [ref]: refs/target.md\n\
        [outer [inner]](nested.md) and [x]\\(not a link)\n";
    let found: Vec<(usize, String)> = links(page)
        .into_iter()
        .map(|l| (l.line, l.target))
        .collect();
    assert_eq!(
        found,
        [
            (1, "a.md".to_string()),
            (1, "img/p.svg".to_string()),
            (1, "with space.md".to_string()),
            (2, "f(1).md#x".to_string()),
            (10, "refs/target.md".to_string()),
            (11, "nested.md".to_string()),
        ]
    );
    assert_eq!(links("![alt](a.svg)")[0].written, "![alt](a.svg)");
}

#[test]
fn anchors_follow_githubs_slugs() {
    assert_eq!(
        slug("Clipboard, mouse and time"),
        "clipboard-mouse-and-time"
    );
    assert_eq!(
        slug("Following credentials: --lineage"),
        "following-credentials---lineage"
    );
    assert_eq!(slug("2. Local files"), "2-local-files");
    assert_eq!(
        slug("Straight from the trail's S3 bucket"),
        "straight-from-the-trails-s3-bucket"
    );
    assert_eq!(slug("config.toml"), "configtoml");
    assert_eq!(
        slug("`trailscope query` and [links](x.md)"),
        "trailscope-query-and-links"
    );
    assert_eq!(slug("Überblick_ok"), "überblick_ok");
    let page = "# Top\n## Same\n### Same\n```\n# not a heading\n```\n#nospace\n## Closed ##\n<a id=\"here\"></a>\n";
    let got: Vec<String> = anchors(page).into_iter().collect();
    assert_eq!(got, ["closed", "here", "same", "same-1", "top"]);
}

#[test]
fn broken_links_and_anchors_are_named_with_page_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("docs")).expect("docs");
    std::fs::create_dir_all(root.join("src")).expect("src");
    std::fs::write(root.join("src/lib.rs"), "").expect("lib.rs");
    std::fs::write(
        root.join("docs/a.md"),
        "# A page\n## Part two\n[self](#part-two) [bad self](#part-three)\n\
         [up](../README.md#top) [code](../src/lib.rs#L3) [code anchor](../src/lib.rs#intro)\n\
         [gone](missing.md) [out](../../etc/passwd) [abs](/README.md) [web](https://example.com/x#y)\n",
    )
    .expect("a.md");
    std::fs::write(
        root.join("README.md"),
        "# Top\n[a](docs/a.md#part-two) [wrong](docs/a.md#part-2)\n",
    )
    .expect("README");
    let (problems, reached) = check_page(root, Path::new("docs/a.md"));
    let expected = [
        "docs/a.md:3: [bad self](#part-three): no heading in docs/a.md has the anchor `#part-three`",
        "docs/a.md:4: [code anchor](../src/lib.rs#intro): `#intro` in src/lib.rs is neither",
        "docs/a.md:5: [gone](missing.md): docs/missing.md does not exist",
        "docs/a.md:5: [out](../../etc/passwd): `../../etc/passwd` points outside the repository",
        "docs/a.md:5: [abs](/README.md): `/README.md` is not a path relative to docs",
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for (got, want) in problems.iter().zip(expected) {
        assert!(got.starts_with(want), "{got}\n  should start with\n{want}");
    }
    assert!(reached.contains(&PathBuf::from("README.md")));
    assert!(reached.contains(&PathBuf::from("src/lib.rs")));

    let (problems, reached) = check_page(root, Path::new("README.md"));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].starts_with("README.md:2: [wrong](docs/a.md#part-2): no heading"));
    assert!(problems[0].contains("(it has: a-page, part-two)"));
    assert!(reached.contains(&PathBuf::from("docs/a.md")));
}
