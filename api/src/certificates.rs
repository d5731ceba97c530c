//! Certificates of recognition (giấy công nhận) as PDF.
//!
//! [`render`] draws one A4 landscape page per certificate, so a recognition decision's PDF is all
//! of its certificates in one file. The text is set in DejaVu Sans (shipped in `assets/fonts`,
//! embedded as a subset), shaped with rustybuzz so that Vietnamese diacritics come out as proper
//! glyphs. Everything is black or grey, so the page prints well in black and white. Long values
//! are shrunk (and, for the issuing unit and the URL, wrapped) so that no text leaves its box.

use std::ops::Range;
use std::str::FromStr;

use anyhow::{Context, bail};
use chrono::{Datelike, NaiveDate};
use krilla::color::luma;
use krilla::geom::{Path, PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document};
use qrcode::{Color as QrColor, EcLevel, QrCode};
use rustybuzz::{Direction, Language, ShapePlan, UnicodeBuffer, script};
use unicode_normalization::UnicodeNormalization;

const REGULAR_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// Everything printed on one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The certificate's number, e.g. "00004-2026-000123".
    pub certificate_number: String,
    /// The recognised citizen, e.g. "Nguyễn Văn An".
    pub full_name: String,
    pub birth_year: i32,
    /// Where the citizen lives, e.g. "Phường Ba Đình, Thành phố Hà Nội".
    pub commune_name: String,
    /// The title awarded, e.g. "Công dân học tập".
    pub title: String,
    /// The assessment period, e.g. "Năm 2026".
    pub period_name: String,
    /// The recognition decision's number, e.g. "12/QĐ-KH".
    pub decision_number: String,
    pub decision_date: NaiveDate,
    /// The unit that issues the certificate, e.g. "Hội Khuyến học Phường Ba Đình".
    pub issuing_unit: String,
    /// Who signed the decision, e.g. "Nguyễn Thị Hoa".
    pub signer: String,
    /// The signer's position, e.g. "Chủ tịch".
    pub signer_title: String,
    pub valid_until: Option<NaiveDate>,
    /// The public verification page that the QR code leads to.
    pub verification_url: String,
}

/// One A4 landscape page per certificate; a decision's PDF is all its certificates in one file.
pub fn render(certificates: &[Certificate]) -> anyhow::Result<Vec<u8>> {
    let Some(first) = certificates.first() else {
        bail!("a certificate PDF needs at least one certificate");
    };
    let fonts = Fonts::load()?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(clean(&format!("Giấy công nhận {}", first.title)))
            .language("vi".to_owned())
            .creator("CDHT".to_owned()),
    );
    for certificate in certificates {
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
            .context("invalid certificate page size")?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let mut painter = Painter {
            surface: &mut surface,
            fonts: &fonts,
        };
        painter
            .certificate(certificate)
            .with_context(|| format!("certificate {}", certificate.certificate_number))?;
    }
    document
        .finish()
        .map_err(|error| anyhow::anyhow!("cannot write the certificate PDF: {error}"))
}

/// Millimetres to PDF points.
fn mm(value: f32) -> f32 {
    value * 72.0 / 25.4
}

const PAGE_WIDTH: f32 = 841.89;
const PAGE_HEIGHT: f32 = 595.28;

/// Grey used for the frame and the ornaments.
const ORNAMENT_GREY: u8 = 70;

/// NFC, no control characters, no surrounding white space.
fn clean(text: &str) -> String {
    text.nfc()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// A Vietnamese administrative date, "ngày 05 tháng 3 năm 2026": days below 10 and the months
/// January and February take a leading zero.
fn long_date(date: NaiveDate) -> String {
    let month = if date.month() <= 2 {
        format!("{:02}", date.month())
    } else {
        date.month().to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

fn short_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// A font for drawing (krilla) together with a font for shaping (rustybuzz).
struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
    plan: ShapePlan,
    language: Language,
}

impl Face {
    fn load(data: &'static [u8], name: &str) -> anyhow::Result<Self> {
        let font = Font::new(Data::from(data), 0)
            .with_context(|| format!("cannot read the font {name}"))?;
        let shaper = rustybuzz::Face::from_slice(data, 0)
            .with_context(|| format!("cannot read the font {name} for shaping"))?;
        let language = Language::from_str("vi")
            .map_err(|error| anyhow::anyhow!("invalid shaping language: {error}"))?;
        let plan = ShapePlan::new(
            &shaper,
            Direction::LeftToRight,
            Some(script::LATIN),
            Some(&language),
            &[],
        );
        Ok(Self {
            font,
            shaper,
            plan,
            language,
        })
    }

    /// Shapes one line of (already cleaned) text; `scale` is the run's size relative to its line.
    fn shape(&self, text: &str, scale: f32) -> Run {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_script(script::LATIN);
        buffer.set_language(self.language.clone());
        let output = rustybuzz::shape_with_plan(&self.shaper, &self.plan, buffer);
        let units_per_em = self.font.units_per_em();
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut advance = 0.0;
        for (index, (info, position)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            let end = infos
                .iter()
                .skip(index + 1)
                .map(|next| next.cluster as usize)
                .find(|&cluster| cluster != start)
                .unwrap_or(text.len());
            let x_advance = position.x_advance as f32 / units_per_em;
            advance += x_advance;
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                x_advance,
                position.x_offset as f32 / units_per_em,
                position.y_offset as f32 / units_per_em,
                position.y_advance as f32 / units_per_em,
                start..end,
                None,
            ));
        }
        Run {
            font: self.font.clone(),
            text: text.to_owned(),
            glyphs,
            advance,
            scale,
        }
    }

    /// The width of a line of text in ems.
    fn measure(&self, text: &str) -> f32 {
        self.shape(text, 1.0).advance
    }

    /// Breaks `text` into lines no wider than `max_em` (except single characters), with as many
    /// lines as greedy breaking at spaces needs but as even as possible: "HỘI KHUYẾN HỌC /
    /// PHƯỜNG BA ĐÌNH" rather than "HỘI KHUYẾN HỌC PHƯỜNG BA / ĐÌNH". A word wider than a line is
    /// broken between characters. Returns byte ranges of `text`.
    fn wrap(&self, text: &str, max_em: f32) -> Vec<Range<usize>> {
        let breaker = Breaker {
            text,
            widths: Widths::new(&self.shape(text, 1.0), text.len()),
            words: word_spans(text),
        };
        let mut lines = breaker.greedy(max_em);
        if lines.len() < 2 {
            return lines;
        }
        let count = lines.len();
        let mut too_narrow = 0.0;
        let mut enough = breaker.widest(&lines);
        for _ in 0..16 {
            let middle = f32::midpoint(too_narrow, enough);
            let candidate = breaker.greedy(middle);
            if candidate.len() == count && breaker.widest(&candidate) <= middle {
                enough = breaker.widest(&candidate);
                lines = candidate;
            } else {
                too_narrow = middle;
            }
        }
        lines
    }
}

/// The advance before each glyph of a shaped text, by the byte offset of its cluster, so that
/// parts of the text can be measured without shaping them again (ignoring kerning across the
/// ends of the part).
struct Widths {
    starts: Vec<(usize, f32)>,
    total: f32,
}

impl Widths {
    fn new(run: &Run, text_len: usize) -> Self {
        let mut starts = Vec::with_capacity(run.glyphs.len());
        let mut total = 0.0;
        for glyph in &run.glyphs {
            starts.push((glyph.text_range.start.min(text_len), total));
            total += glyph.x_advance;
        }
        Self { starts, total }
    }

    /// The advance of everything before byte `offset`.
    fn before(&self, offset: usize) -> f32 {
        let index = self
            .starts
            .partition_point(|(cluster, _)| *cluster < offset);
        self.starts
            .get(index)
            .map_or(self.total, |(_, before)| *before)
    }

    fn of(&self, range: &Range<usize>) -> f32 {
        self.before(range.end) - self.before(range.start)
    }
}

struct Breaker<'t> {
    text: &'t str,
    widths: Widths,
    words: Vec<Range<usize>>,
}

impl Breaker<'_> {
    fn widest(&self, lines: &[Range<usize>]) -> f32 {
        lines
            .iter()
            .map(|line| self.widths.of(line))
            .fold(0.0_f32, f32::max)
    }

    /// Greedy line breaking at spaces; a word wider than a line is broken between characters.
    fn greedy(&self, max_em: f32) -> Vec<Range<usize>> {
        let mut lines = Vec::new();
        let mut current: Option<Range<usize>> = None;
        for word in &self.words {
            if let Some(line) = &current
                && self.widths.of(&(line.start..word.end)) <= max_em
            {
                current = Some(line.start..word.end);
                continue;
            }
            lines.extend(current.take());
            let mut start = word.start;
            loop {
                let end = self.longest_fitting_prefix(start..word.end, max_em);
                if end == word.end {
                    current = Some(start..end);
                    break;
                }
                lines.push(start..end);
                start = end;
            }
        }
        lines.extend(current);
        lines
    }

    /// The end of the longest prefix of `range` (at least one character) no wider than `max_em`.
    fn longest_fitting_prefix(&self, range: Range<usize>, max_em: f32) -> usize {
        let ends: Vec<usize> = self.text[range.clone()]
            .char_indices()
            .map(|(offset, c)| range.start + offset + c.len_utf8())
            .collect();
        let (mut fitting, mut too_wide) = (0, ends.len());
        while fitting + 1 < too_wide {
            let middle = usize::midpoint(fitting, too_wide);
            let fits = ends
                .get(middle)
                .is_some_and(|&end| self.widths.of(&(range.start..end)) <= max_em);
            if fits {
                fitting = middle;
            } else {
                too_wide = middle;
            }
        }
        ends.get(fitting).copied().unwrap_or(range.end)
    }
}

/// Byte ranges of the white-space separated words of `text`.
fn word_spans(text: &str) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    for (index, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(word_start)) => {
                words.push(word_start..index);
                start = None;
            }
            (false, None) => start = Some(index),
            _ => {}
        }
    }
    if let Some(word_start) = start {
        words.push(word_start..text.len());
    }
    words
}

struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    fn load() -> anyhow::Result<Self> {
        Ok(Self {
            regular: Face::load(REGULAR_TTF, "DejaVu Sans")?,
            bold: Face::load(BOLD_TTF, "DejaVu Sans Bold")?,
        })
    }
}

/// Shaped text in one font.
struct Run {
    font: Font,
    text: String,
    glyphs: Vec<KrillaGlyph>,
    /// Width in ems of the run's own size.
    advance: f32,
    /// The run's size relative to the line's size.
    scale: f32,
}

/// A horizontal band of the page that text is laid out in.
#[derive(Clone, Copy)]
struct Column {
    left: f32,
    width: f32,
}

impl Column {
    fn new(left_mm: f32, right_mm: f32) -> Self {
        Self {
            left: mm(left_mm),
            width: mm(right_mm - left_mm),
        }
    }

    fn centre(self) -> f32 {
        self.left + self.width / 2.0
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Centre,
}

struct Painter<'a, 'b> {
    surface: &'a mut Surface<'b>,
    fonts: &'a Fonts,
}

impl Painter<'_, '_> {
    fn certificate(&mut self, c: &Certificate) -> anyhow::Result<()> {
        let fonts = self.fonts;
        let (regular, bold) = (&fonts.regular, &fonts.bold);
        self.frame()?;

        // Top left: the issuing unit and the certificate's number.
        let unit_column = Column::new(15.0, 85.0);
        let last = self.paragraph(
            bold,
            &clean(&c.issuing_unit).to_uppercase(),
            unit_column,
            Align::Centre,
            mm(24.0),
            11.0,
            8.0,
            3,
        );
        let rule_y = last + mm(2.5);
        self.rule(unit_column.centre(), rule_y, mm(12.0), 0.6)?;
        let number = [
            regular.shape("Số: ", 1.0),
            bold.shape(&clean(&c.certificate_number), 1.0),
        ];
        self.line(&number, unit_column, Align::Centre, rule_y + mm(6.5), 11.0);

        // Top centre: the national heading.
        let heading_column = Column::new(99.0, 198.0);
        self.line(
            &[bold.shape("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1.0)],
            heading_column,
            Align::Centre,
            mm(24.0),
            12.0,
        );
        let motto = [bold.shape("Độc lập - Tự do - Hạnh phúc", 1.0)];
        let motto_size = self.line(&motto, heading_column, Align::Centre, mm(29.5), 12.5);
        let motto_width = line_width(&motto, motto_size);
        self.rule(heading_column.centre(), mm(31.5), motto_width / 2.0, 0.6)?;

        // The title.
        let body = Column::new(22.0, 275.0);
        self.line(
            &[bold.shape("GIẤY CÔNG NHẬN", 1.0)],
            body,
            Align::Centre,
            mm(59.0),
            38.0,
        );
        self.line(
            &[bold.shape(&clean(&c.title).to_uppercase(), 1.0)],
            body,
            Align::Centre,
            mm(71.0),
            22.0,
        );
        self.ornament(body.centre(), mm(77.5))?;

        // The recognised citizen.
        let name = [
            regular.shape("Ông/Bà: ", 0.75),
            bold.shape(&clean(&c.full_name), 1.0),
        ];
        self.line(&name, body, Align::Centre, mm(95.0), 24.0);
        let birth = [
            regular.shape("Năm sinh: ", 1.0),
            bold.shape(&c.birth_year.to_string(), 1.0),
        ];
        self.line(&birth, body, Align::Centre, mm(105.0), 14.0);
        let residence = [
            regular.shape("Nơi cư trú: ", 1.0),
            regular.shape(&clean(&c.commune_name), 1.0),
        ];
        self.line(&residence, body, Align::Centre, mm(113.0), 14.0);
        let achievement = [
            regular.shape("Đã đạt danh hiệu ", 1.0),
            bold.shape(&clean(&c.title), 1.0),
            regular.shape(&format!(" {}", clean(&c.period_name)), 1.0),
        ];
        self.line(&achievement, body, Align::Centre, mm(123.0), 15.0);
        let decision = [
            regular.shape("Theo Quyết định số ", 1.0),
            bold.shape(&clean(&c.decision_number), 1.0),
            regular.shape(&format!(" ngày {}", short_date(c.decision_date)), 1.0),
        ];
        self.line(&decision, body, Align::Centre, mm(132.0), 12.0);
        if let Some(valid_until) = c.valid_until {
            let validity = [regular.shape(
                &format!("Có giá trị đến hết ngày {}", short_date(valid_until)),
                1.0,
            )];
            self.line(&validity, body, Align::Centre, mm(139.0), 12.0);
        }

        // Bottom right: the signature block.
        let signer_column = Column::new(183.0, 277.0);
        let date = [regular.shape(&capitalise(&long_date(c.decision_date)), 1.0)];
        self.line(&date, signer_column, Align::Centre, mm(149.0), 12.0);
        let last = self.paragraph(
            bold,
            &clean(&c.issuing_unit).to_uppercase(),
            signer_column,
            Align::Centre,
            mm(156.0),
            11.5,
            8.0,
            2,
        );
        self.paragraph(
            bold,
            &clean(&c.signer_title).to_uppercase(),
            signer_column,
            Align::Centre,
            last + mm(5.5),
            11.5,
            8.0,
            1,
        );
        self.line(
            &[bold.shape(&clean(&c.signer), 1.0)],
            signer_column,
            Align::Centre,
            mm(191.0),
            13.0,
        );

        // Bottom left: the QR code for the public check.
        self.verification(&clean(&c.verification_url))
    }

    /// The QR code (32 mm, with its quiet zone kept free) and the lines under it.
    fn verification(&mut self, url: &str) -> anyhow::Result<()> {
        let fonts = self.fonts;
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
            .context("cannot encode the verification URL as a QR code")?;
        let modules = code.width();
        let left = mm(22.0);
        let top = mm(146.0);
        let size = mm(32.0);
        let module = size / modules as f32;
        let colors = code.to_colors();
        let mut builder = PathBuilder::new();
        for (row, cells) in colors.chunks(modules).enumerate() {
            let y = top + row as f32 * module;
            let mut column = 0;
            while column < modules {
                if cells.get(column) != Some(&QrColor::Dark) {
                    column += 1;
                    continue;
                }
                let start = column;
                while cells.get(column) == Some(&QrColor::Dark) {
                    column += 1;
                }
                let rect = Rect::from_xywh(
                    left + start as f32 * module,
                    y,
                    (column - start) as f32 * module,
                    module,
                )
                .context("invalid QR module")?;
                builder.push_rect(rect);
            }
        }
        let path = builder.finish().context("empty QR code")?;
        self.fill(&path, luma::Color::black());

        let quiet_zone = 4.0 * module;
        let column = Column::new(22.0, 120.0);
        let caption_y = top + size + quiet_zone + mm(3.0);
        self.line(
            &[fonts.bold.shape("Quét mã để kiểm tra", 1.0)],
            column,
            Align::Left,
            caption_y,
            9.0,
        );
        self.paragraph(
            &fonts.regular,
            url,
            column,
            Align::Left,
            caption_y + mm(4.0),
            7.0,
            5.0,
            2,
        );
        Ok(())
    }

    /// A double frame with small corner squares.
    fn frame(&mut self) -> anyhow::Result<()> {
        let outer = Rect::from_ltrb(
            mm(8.0),
            mm(8.0),
            PAGE_WIDTH - mm(8.0),
            PAGE_HEIGHT - mm(8.0),
        )
        .context("invalid frame")?;
        let inner = Rect::from_ltrb(
            mm(10.0),
            mm(10.0),
            PAGE_WIDTH - mm(10.0),
            PAGE_HEIGHT - mm(10.0),
        )
        .context("invalid frame")?;
        let mut builder = PathBuilder::new();
        builder.push_rect(outer);
        let outer_path = builder.finish().context("invalid frame")?;
        self.stroke(&outer_path, 1.8);
        let mut builder = PathBuilder::new();
        builder.push_rect(inner);
        let inner_path = builder.finish().context("invalid frame")?;
        self.stroke(&inner_path, 0.6);

        let corner = mm(3.0);
        let mut builder = PathBuilder::new();
        for (x, y) in [
            (mm(9.0), mm(9.0)),
            (PAGE_WIDTH - mm(9.0), mm(9.0)),
            (mm(9.0), PAGE_HEIGHT - mm(9.0)),
            (PAGE_WIDTH - mm(9.0), PAGE_HEIGHT - mm(9.0)),
        ] {
            builder.push_rect(
                Rect::from_xywh(x - corner / 2.0, y - corner / 2.0, corner, corner)
                    .context("invalid frame corner")?,
            );
        }
        let corners = builder.finish().context("invalid frame corner")?;
        self.fill(&corners, luma::Color::new(ORNAMENT_GREY));
        Ok(())
    }

    /// Two lines with a small diamond between them, under the title.
    fn ornament(&mut self, centre: f32, y: f32) -> anyhow::Result<()> {
        let gap = mm(4.0);
        let reach = mm(40.0);
        let mut builder = PathBuilder::new();
        builder.move_to(centre - reach, y);
        builder.line_to(centre - gap, y);
        builder.move_to(centre + gap, y);
        builder.line_to(centre + reach, y);
        let lines = builder.finish().context("invalid ornament")?;
        self.stroke(&lines, 0.8);
        let half = mm(1.6);
        let mut builder = PathBuilder::new();
        builder.move_to(centre, y - half);
        builder.line_to(centre + half, y);
        builder.line_to(centre, y + half);
        builder.line_to(centre - half, y);
        builder.close();
        let diamond = builder.finish().context("invalid ornament")?;
        self.fill(&diamond, luma::Color::new(ORNAMENT_GREY));
        Ok(())
    }

    /// A horizontal rule of half-length `half` centred on `centre`.
    fn rule(&mut self, centre: f32, y: f32, half: f32, width: f32) -> anyhow::Result<()> {
        let mut builder = PathBuilder::new();
        builder.move_to(centre - half, y);
        builder.line_to(centre + half, y);
        let path = builder.finish().context("invalid rule")?;
        self.stroke(&path, width);
        Ok(())
    }

    fn stroke(&mut self, path: &Path, width: f32) {
        self.surface.set_fill(None);
        self.surface.set_stroke(Some(Stroke {
            paint: luma::Color::new(ORNAMENT_GREY).into(),
            width,
            line_cap: LineCap::Butt,
            ..Stroke::default()
        }));
        self.surface.draw_path(path);
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(Fill::default()));
    }

    fn fill(&mut self, path: &Path, color: luma::Color) {
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(Fill {
            paint: color.into(),
            rule: FillRule::NonZero,
            ..Fill::default()
        }));
        self.surface.draw_path(path);
        self.surface.set_fill(Some(Fill::default()));
    }

    /// Draws runs on one line at `size` or smaller, so that they fit the column. Returns the size.
    fn line(
        &mut self,
        runs: &[Run],
        column: Column,
        align: Align,
        baseline: f32,
        size: f32,
    ) -> f32 {
        let size = fitting_size(runs, column.width, size);
        let width = line_width(runs, size);
        let mut x = match align {
            Align::Left => column.left,
            Align::Centre => column.left + (column.width - width) / 2.0,
        };
        self.surface.set_fill(Some(Fill::default()));
        for run in runs {
            let run_size = size * run.scale;
            self.surface.draw_glyphs(
                Point::from_xy(x, baseline),
                &run.glyphs,
                run.font.clone(),
                &run.text,
                run_size,
                false,
            );
            x += run.advance * run_size;
        }
        size
    }

    /// Draws text wrapped into at most `max_lines` lines, shrinking it from `size` towards
    /// `min_size` until it fits (and below that if it still does not). Returns the last baseline.
    #[expect(
        clippy::too_many_arguments,
        reason = "a layout call reads best with all of its parameters in place"
    )]
    fn paragraph(
        &mut self,
        face: &Face,
        text: &str,
        column: Column,
        align: Align,
        first_baseline: f32,
        size: f32,
        min_size: f32,
        max_lines: usize,
    ) -> f32 {
        let (size, lines) = fit_paragraph(face, text, column.width, size, min_size, max_lines);
        let leading = size * 1.3;
        let mut baseline = first_baseline;
        for (index, range) in lines.iter().enumerate() {
            baseline = first_baseline + index as f32 * leading;
            let run = face.shape(text[range.clone()].trim(), 1.0);
            self.line(&[run], column, align, baseline, size);
        }
        baseline
    }
}

fn line_width(runs: &[Run], size: f32) -> f32 {
    runs.iter().map(|run| run.advance * run.scale).sum::<f32>() * size
}

/// The largest size up to `size` at which the runs fit in `width`.
fn fitting_size(runs: &[Run], width: f32, size: f32) -> f32 {
    let em = line_width(runs, 1.0);
    if em > 0.0 { size.min(width / em) } else { size }
}

/// Chooses a size and line breaks for a paragraph: the largest size from `size` down to
/// `min_size` at which it takes at most `max_lines` lines; if none, the text at `min_size` with
/// the surplus lines joined into the last one and the size lowered until every line fits.
fn fit_paragraph(
    face: &Face,
    text: &str,
    width: f32,
    size: f32,
    min_size: f32,
    max_lines: usize,
) -> (f32, Vec<Range<usize>>) {
    let max_lines = max_lines.max(1);
    let mut candidate = size;
    loop {
        let mut lines = face.wrap(text, width / candidate);
        if lines.len() <= max_lines || candidate <= min_size {
            if lines.len() > max_lines {
                let end = lines.last().map_or(text.len(), |line| line.end);
                lines.truncate(max_lines);
                if let Some(last) = lines.last_mut() {
                    last.end = end;
                }
            }
            let widest = lines
                .iter()
                .map(|line| face.measure(text[line.clone()].trim()))
                .fold(0.0_f32, f32::max);
            let fitted = if widest > 0.0 {
                candidate.min(width / widest)
            } else {
                candidate
            };
            return (fitted, lines);
        }
        candidate = (candidate - 0.5).max(min_size);
    }
}

/// Upper-cases the first letter.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(index: usize) -> Certificate {
        Certificate {
            certificate_number: format!("00004-2026-{:06}", 123 + index),
            full_name: "Nguyễn Văn An".to_owned(),
            birth_year: 1985,
            commune_name: "Phường Ba Đình, Thành phố Hà Nội".to_owned(),
            title: "Công dân học tập".to_owned(),
            period_name: "Năm 2026".to_owned(),
            decision_number: "12/QĐ-KH".to_owned(),
            decision_date: NaiveDate::from_ymd_opt(2026, 3, 5).expect("valid date"),
            issuing_unit: "Hội Khuyến học Phường Ba Đình".to_owned(),
            signer: "Nguyễn Thị Hoa".to_owned(),
            signer_title: "Chủ tịch".to_owned(),
            valid_until: NaiveDate::from_ymd_opt(2027, 12, 31),
            verification_url: format!(
                "http://127.0.0.1:8080/verify/AbCdEfGhIjKlMnOpQrStUv{index:02}"
            ),
        }
    }

    fn count(haystack: &[u8], needle: &[u8]) -> usize {
        haystack
            .windows(needle.len())
            .filter(|window| *window == needle)
            .count()
    }

    /// Page objects: "/Type /Page" (with or without the space) not followed by "s", which would
    /// be the page tree.
    fn page_count(pdf: &[u8]) -> usize {
        (0..pdf.len())
            .filter(|&index| pdf[index..].starts_with(b"/Type"))
            .filter(|&index| {
                let rest = &pdf[index + b"/Type".len()..];
                let value = rest.trim_ascii_start();
                value.starts_with(b"/Page")
                    && !value
                        .get(b"/Page".len())
                        .is_some_and(|next| next.is_ascii_alphanumeric())
            })
            .count()
    }

    fn has_pdftotext() -> bool {
        std::process::Command::new("pdftotext")
            .arg("-v")
            .output()
            .is_ok()
    }

    fn temp_pdf(name: &str, pdf: &[u8]) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!(
            "cdht-certificate-{}-{name}.pdf",
            std::process::id()
        ));
        std::fs::write(&path, pdf).expect("write temporary PDF");
        path
    }

    fn pdftotext(path: &std::path::Path, extra: &[&str]) -> String {
        let output = std::process::Command::new("pdftotext")
            .args(extra)
            .args(["-enc", "UTF-8"])
            .arg(path)
            .arg("-")
            .output()
            .expect("run pdftotext");
        assert!(output.status.success(), "pdftotext failed: {output:?}");
        String::from_utf8(output.stdout).expect("UTF-8 from pdftotext")
    }

    fn check_basics(pdf: &[u8], pages: usize) {
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(page_count(pdf), pages);
        assert!(count(pdf, b"/FontFile2") >= 1, "no embedded TrueType font");
    }

    #[test]
    fn one_certificate() {
        let certificate = sample(0);
        let pdf = render(std::slice::from_ref(&certificate)).expect("render");
        check_basics(&pdf, 1);
        println!("one certificate: {} bytes", pdf.len());
        if !has_pdftotext() {
            println!("pdftotext is not installed: skipping the text extraction check");
            return;
        }
        let path = temp_pdf("one", &pdf);
        let text: String = pdftotext(&path, &[]).nfc().collect();
        std::fs::remove_file(&path).ok();
        for expected in [
            "Nguyễn Văn An",
            "GIẤY CÔNG NHẬN",
            "CÔNG DÂN HỌC TẬP",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Phường Ba Đình, Thành phố Hà Nội",
            "00004-2026-000123",
            "12/QĐ-KH",
            "05/03/2026",
            "31/12/2027",
            "Ngày 05 tháng 3 năm 2026",
            "Quét mã để kiểm tra",
            "http://127.0.0.1:8080/verify/AbCdEfGhIjKlMnOpQrStUv00",
        ] {
            let expected: String = expected.nfc().collect();
            assert!(text.contains(&expected), "{expected:?} not in {text:?}");
        }
    }

    #[test]
    fn batch_of_three() {
        let certificates: Vec<_> = (0..3).map(sample).collect();
        let pdf = render(&certificates).expect("render");
        check_basics(&pdf, 3);
        assert_eq!(count(&pdf, b"/FontFile2"), 2, "each font is embedded once");
        if !has_pdftotext() {
            println!("pdftotext is not installed: skipping the text extraction check");
            return;
        }
        let path = temp_pdf("batch", &pdf);
        let text: String = pdftotext(&path, &[]).nfc().collect();
        std::fs::remove_file(&path).ok();
        for index in 0..3 {
            let number = format!("00004-2026-{:06}", 123 + index);
            assert!(text.contains(&number), "{number} not in {text:?}");
        }
        assert_eq!(text.matches("Nguyễn Văn An").count(), 3);
    }

    #[test]
    fn decomposed_input_comes_out_composed() {
        let mut certificate = sample(0);
        certificate.full_name = "Nguyễn Văn An".nfd().collect();
        assert_ne!(certificate.full_name, "Nguyễn Văn An");
        let pdf = render(&[certificate]).expect("render");
        check_basics(&pdf, 1);
        if !has_pdftotext() {
            println!("pdftotext is not installed: skipping the text extraction check");
            return;
        }
        let path = temp_pdf("nfd", &pdf);
        let text = pdftotext(&path, &[]);
        std::fs::remove_file(&path).ok();
        assert!(
            text.contains("Nguyễn Văn An"),
            "composed name not in {text:?}"
        );
    }

    #[test]
    fn empty_values_still_render() {
        let certificate = Certificate {
            certificate_number: String::new(),
            full_name: String::new(),
            birth_year: 0,
            commune_name: String::new(),
            title: String::new(),
            period_name: String::new(),
            decision_number: String::new(),
            decision_date: NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date"),
            issuing_unit: String::new(),
            signer: String::new(),
            signer_title: String::new(),
            valid_until: None,
            verification_url: String::new(),
        };
        check_basics(&render(&[certificate]).expect("render"), 1);
    }

    #[test]
    fn no_certificates_is_an_error() {
        assert!(render(&[]).is_err());
    }

    /// A certificate with values far longer than usual.
    fn long_certificate() -> Certificate {
        let mut certificate = sample(2);
        certificate.full_name = "Nguyễn Hoàng Phương Thảo Tôn Nữ Thị Ngọc Diệp Bảo Khánh Linh \
                                 Huyền Trang Minh Châu Thanh Thủy Bích Ngọc"
            .to_owned();
        certificate.commune_name = "Xã Quảng Phước Thạnh Mỹ Đông, Huyện Phong Điền Thượng, \
                                    Tỉnh Thừa Thiên Huế và các vùng lân cận rất dài"
            .to_owned();
        certificate.issuing_unit = "Hội Khuyến học Xã Quảng Phước Thạnh Mỹ Đông Huyện Phong \
                                    Điền Thượng Tỉnh Thừa Thiên Huế"
            .to_owned();
        certificate.verification_url = format!("http://127.0.0.1:8080/verify/{}", "x".repeat(120));
        certificate
    }

    #[test]
    fn long_values_stay_inside_the_frame() {
        let certificate = long_certificate();
        let pdf = render(&[certificate]).expect("render");
        check_basics(&pdf, 1);
        if !has_pdftotext() {
            println!("pdftotext is not installed: skipping the layout check");
            return;
        }
        let path = temp_pdf("long", &pdf);
        let html = pdftotext(&path, &["-bbox"]);
        std::fs::remove_file(&path).ok();
        let attribute = |word: &str, name: &str| -> f32 {
            let start = word.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
            let end = start + word[start..].find('"').expect("closing quote");
            word[start..end].parse().expect("number")
        };
        let words: Vec<&str> = html.split("<word ").skip(1).collect();
        assert!(words.len() > 20);
        let margin = mm(10.0);
        for word in words {
            let (x_min, x_max) = (attribute(word, "xMin"), attribute(word, "xMax"));
            let (y_min, y_max) = (attribute(word, "yMin"), attribute(word, "yMax"));
            assert!(
                x_min >= margin && x_max <= PAGE_WIDTH - margin,
                "word outside the frame: {word}"
            );
            assert!(
                y_min >= margin && y_max <= PAGE_HEIGHT - margin,
                "word outside the frame: {word}"
            );
        }
    }

    #[test]
    fn fitted_paragraph_lines_fit() {
        let fonts = Fonts::load().expect("fonts");
        let text = clean("HỘI KHUYẾN HỌC XÃ QUẢNG PHƯỚC THẠNH MỸ ĐÔNG HUYỆN PHONG ĐIỀN THƯỢNG");
        let width = mm(80.0);
        let (size, lines) = fit_paragraph(&fonts.bold, &text, width, 11.0, 8.0, 3);
        assert!(lines.len() <= 3);
        assert!(size <= 11.0);
        for line in lines {
            assert!(fonts.bold.measure(text[line].trim()) * size <= width + 0.01);
        }
    }

    #[test]
    fn administrative_dates() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
        assert_eq!(long_date(date(2026, 2, 5)), "ngày 05 tháng 02 năm 2026");
        assert_eq!(long_date(date(2026, 11, 20)), "ngày 20 tháng 11 năm 2026");
        assert_eq!(long_date(date(2026, 3, 9)), "ngày 09 tháng 3 năm 2026");
    }

    /// Writes /tmp/certificate-sample.pdf to look at:
    /// `cargo test -p api --lib certificates::tests::sample_file -- --ignored`.
    #[test]
    #[ignore = "writes /tmp/certificate-sample.pdf for a visual check"]
    fn sample_file() {
        let mut long = sample(1);
        long.full_name = "Tôn Nữ Hoàng Phương Thảo Ngọc Diệp Bảo Khánh Linh Huyền Trang".to_owned();
        long.valid_until = None;
        let pdf = render(&[sample(0), long, long_certificate()]).expect("render");
        std::fs::write("/tmp/certificate-sample.pdf", &pdf).expect("write sample");
        println!("{} bytes", pdf.len());
    }
}
