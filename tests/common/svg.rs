//! A terminal capture (`tmux capture-pane -e -p`) as an SVG picture: parsed into cells by
//! vt100, then one rectangle per run of background and one text element per run of style,
//! each pinned to its cells' width so any monospace font lines up. For the README's
//! screenshots (tests/screenshots.rs).

use std::fmt::Write;

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 17.0;
const FONT: &str = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace";

/// The terminal's own default colours behind the app (a dark or a light terminal).
#[derive(Copy, Clone)]
pub struct Backdrop {
    pub fg: (u8, u8, u8),
    pub bg: (u8, u8, u8),
}

pub const DARK: Backdrop = Backdrop {
    fg: (0xd4, 0xd4, 0xd4),
    bg: (0x1e, 0x1e, 0x1e),
};
pub const LIGHT: Backdrop = Backdrop {
    fg: (0x24, 0x24, 0x24),
    bg: (0xfa, 0xfa, 0xfa),
};

/// The cells of a capture, `width`×`height`.
pub fn parse(capture: &str, width: u16, height: u16) -> vt100::Parser {
    let nz = |v: u16| std::num::NonZeroU16::new(v.max(1)).unwrap_or(std::num::NonZeroU16::MIN);
    let mut parser = vt100::Parser::new(nz(height), nz(width), 0);
    // capture-pane ends lines with \n alone; a terminal needs the carriage return too.
    let lines: Vec<&str> = capture.split('\n').take(height as usize).collect();
    parser.process(lines.join("\x1b[0m\r\n").as_bytes());
    parser
}

/// The text of each row (trailing spaces trimmed), for comparing screenshots by content.
pub fn rows(parser: &vt100::Parser) -> Vec<String> {
    let width = parser.screen().size().1.get();
    parser
        .screen()
        .rows(0, width)
        .map(|r| r.trim_end().to_string())
        .collect()
}

pub fn render(parser: &vt100::Parser, backdrop: Backdrop) -> String {
    let screen = parser.screen();
    let (height, width) = (screen.size().0.get(), screen.size().1.get());
    let (w, h) = (width as f32 * CELL_W, height as f32 * CELL_H);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT}\" font-size=\"14\">\n<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>\n",
        hex(backdrop.bg)
    );
    for row in 0..height {
        let cells: Vec<Styled> = (0..width)
            .map(|col| styled(screen.cell(row, col), backdrop))
            .collect();
        backgrounds(&mut svg, &cells, row, backdrop);
        texts(&mut svg, &cells, row);
    }
    svg.push_str("</svg>\n");
    svg
}

#[derive(Clone, PartialEq)]
struct Styled {
    text: String,
    fg: (u8, u8, u8),
    bg: (u8, u8, u8),
    bold: bool,
    italic: bool,
    underline: bool,
    /// The right half of a wide character: drawn by its left half.
    skip: bool,
}

fn styled(cell: Option<&vt100::Cell>, b: Backdrop) -> Styled {
    let Some(c) = cell else {
        return Styled {
            text: " ".into(),
            fg: b.fg,
            bg: b.bg,
            bold: false,
            italic: false,
            underline: false,
            skip: false,
        };
    };
    let (mut fg, mut bg) = (colour(c.fgcolor(), b.fg), colour(c.bgcolor(), b.bg));
    if c.inverse() {
        std::mem::swap(&mut fg, &mut bg);
    }
    let text = if c.has_contents() {
        c.contents().to_string()
    } else {
        " ".to_string()
    };
    Styled {
        text,
        fg,
        bg,
        bold: c.bold(),
        italic: c.italic(),
        underline: c.underline(),
        skip: c.is_wide_continuation(),
    }
}

fn backgrounds(svg: &mut String, cells: &[Styled], row: u16, b: Backdrop) {
    let mut col = 0;
    while col < cells.len() {
        let bg = cells[col].bg;
        let start = col;
        while col < cells.len() && cells[col].bg == bg {
            col += 1;
        }
        if bg != b.bg {
            let _ = writeln!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{CELL_H}\" fill=\"{}\"/>",
                start as f32 * CELL_W,
                row as f32 * CELL_H,
                (col - start) as f32 * CELL_W,
                hex(bg)
            );
        }
    }
}

fn texts(svg: &mut String, cells: &[Styled], row: u16) {
    let mut col = 0;
    while col < cells.len() {
        let first = &cells[col];
        let start = col;
        let mut text = String::new();
        let mut span = 0;
        while col < cells.len() {
            let c = &cells[col];
            let same = c.fg == first.fg
                && c.bold == first.bold
                && c.italic == first.italic
                && c.underline == first.underline;
            if !same && !c.skip {
                break;
            }
            if !c.skip {
                text.push_str(&c.text);
            }
            span += 1;
            col += 1;
        }
        if text.trim().is_empty() {
            continue;
        }
        let mut attrs = format!("fill=\"{}\"", hex(first.fg));
        if first.bold {
            attrs.push_str(" font-weight=\"bold\"");
        }
        if first.italic {
            attrs.push_str(" font-style=\"italic\"");
        }
        if first.underline {
            attrs.push_str(" text-decoration=\"underline\"");
        }
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" textLength=\"{:.1}\" lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\" {attrs}>{}</text>",
            start as f32 * CELL_W,
            row as f32 * CELL_H + CELL_H * 0.78,
            span as f32 * CELL_W,
            escape(&text)
        );
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// A cell colour as RGB: the xterm palette for indexed colours.
fn colour(c: vt100::Color, default: (u8, u8, u8)) -> (u8, u8, u8) {
    const BASE: [(u8, u8, u8); 16] = [
        (0x1e, 0x1e, 0x1e),
        (0xcd, 0x31, 0x31),
        (0x0d, 0xbc, 0x79),
        (0xe5, 0xe5, 0x10),
        (0x24, 0x72, 0xc8),
        (0xbc, 0x3f, 0xbc),
        (0x11, 0xa8, 0xcd),
        (0xe5, 0xe5, 0xe5),
        (0x76, 0x76, 0x76),
        (0xf1, 0x4c, 0x4c),
        (0x23, 0xd1, 0x8b),
        (0xf5, 0xf5, 0x43),
        (0x3b, 0x8e, 0xea),
        (0xd6, 0x70, 0xd6),
        (0x29, 0xb8, 0xdb),
        (0xff, 0xff, 0xff),
    ];
    match c {
        vt100::Color::Default => default,
        vt100::Color::Rgb(r, g, b) => (r, g, b),
        vt100::Color::Idx(i) if i < 16 => BASE[i as usize],
        vt100::Color::Idx(i) if i < 232 => {
            let n = i - 16;
            let step = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            (step(n / 36), step(n / 6 % 6), step(n % 6))
        }
        vt100::Color::Idx(i) => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}
