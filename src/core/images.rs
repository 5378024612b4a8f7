//! Image processing for uploads and previews: the format is read from the
//! bytes (never from the name or the client's word), the size is checked
//! before decoding, large images are scaled down, everything is re-encoded
//! (which drops EXIF metadata such as where a photo of a class was taken),
//! and a small preview and its blurhash are made.

use crate::core::error::{CoreError, CoreResult};
use image::{
    codecs::{jpeg::JpegEncoder, png::PngEncoder},
    imageops::FilterType,
    DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits,
};
use std::io::Cursor;

/// Stored images have at most this many pixels (3840 × 2160).
pub const MAX_STORED_PIXELS: u64 = 3840 * 2160;
/// Previews have at most this many pixels (640 × 360).
pub const PREVIEW_PIXELS: u64 = 640 * 360;

/// What an uploaded file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Gif,
    WebP,
    Pdf,
}

impl Kind {
    /// The kind of `bytes`, from their content.
    pub fn sniff(bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(b"%PDF-") {
            return Some(Kind::Pdf);
        }
        match image::guess_format(bytes).ok()? {
            ImageFormat::Jpeg => Some(Kind::Jpeg),
            ImageFormat::Png => Some(Kind::Png),
            ImageFormat::Gif => Some(Kind::Gif),
            ImageFormat::WebP => Some(Kind::WebP),
            _ => None,
        }
    }

    pub fn is_image(self) -> bool {
        self != Kind::Pdf
    }
}

/// An encoded image.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

/// A processed upload: the image to keep, its preview and blurhash.
#[derive(Debug, Clone)]
pub struct Processed {
    pub original: Encoded,
    pub preview: Encoded,
    pub blurhash: String,
}

fn decode(bytes: &[u8], max_pixels: u64) -> CoreResult<DynamicImage> {
    let bad = |e: image::ImageError| {
        CoreError::Invalid(format!("Validation failed: the image cannot be read ({e})"))
    };
    let reader = || {
        ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| CoreError::Invalid(format!("Validation failed: {e}")))
    };
    let (w, h) = reader()?.into_dimensions().map_err(bad)?;
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(CoreError::Invalid(format!(
            "Validation failed: the image has more than {max_pixels} pixels"
        )));
    }
    let mut reader = reader()?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8).max(64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(bad)?;
    let orientation = decoder.orientation().map_err(bad)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(bad)?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// Scale `img` down to at most `pixels` pixels (never up).
fn fit(img: &DynamicImage, pixels: u64) -> DynamicImage {
    let (w, h) = (img.width() as u64, img.height() as u64);
    if w * h <= pixels {
        return img.clone();
    }
    let scale = (pixels as f64 / (w * h) as f64).sqrt();
    let nw = ((w as f64 * scale).floor() as u32).max(1);
    let nh = ((h as f64 * scale).floor() as u32).max(1);
    img.resize_exact(nw, nh, FilterType::Triangle)
}

/// Encode as JPEG (photos without transparency) or PNG.
fn encode(img: &DynamicImage, jpeg: bool) -> CoreResult<Encoded> {
    let mut bytes = vec![];
    let failed = |e: image::ImageError| CoreError::Internal(format!("encoding an image: {e}"));
    let (content_type, extension) = if jpeg && !img.color().has_alpha() {
        img.to_rgb8()
            .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, 85))
            .map_err(failed)?;
        ("image/jpeg", "jpg")
    } else {
        img.write_with_encoder(PngEncoder::new(&mut bytes))
            .map_err(failed)?;
        ("image/png", "png")
    };
    Ok(Encoded {
        bytes,
        content_type,
        extension,
        width: img.width(),
        height: img.height(),
    })
}

fn blurhash_of(img: &DynamicImage) -> String {
    let tiny = img.thumbnail(32, 32).to_rgba8();
    blurhash::encode(4, 3, tiny.width(), tiny.height(), tiny.as_raw()).unwrap_or_default()
}

/// Process an uploaded image (blocking: run it off the async runtime).
pub fn process(bytes: &[u8], kind: Kind, max_pixels: u64) -> CoreResult<Processed> {
    let img = decode(bytes, max_pixels)?;
    let kept = fit(&img, MAX_STORED_PIXELS);
    let photo = kind == Kind::Jpeg;
    let preview = fit(&kept, PREVIEW_PIXELS);
    Ok(Processed {
        original: encode(&kept, photo)?,
        preview: encode(&preview, true)?,
        blurhash: blurhash_of(&preview),
    })
}

/// A preview of someone else's image (blocking), for the local cache.
pub fn preview(bytes: &[u8], max_pixels: u64) -> CoreResult<Encoded> {
    let img = decode(bytes, max_pixels)?;
    encode(&fit(&img, PREVIEW_PIXELS), true)
}

/// An avatar (square) or header (3:1), cropped to fill `width` × `height`.
pub fn profile_image(
    bytes: &[u8],
    max_pixels: u64,
    width: u32,
    height: u32,
) -> CoreResult<Encoded> {
    let img = decode(bytes, max_pixels)?;
    let filled = if img.width() <= width && img.height() <= height {
        img
    } else {
        img.resize_to_fill(width, height, FilterType::Triangle)
    };
    encode(&filled, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(w, h);
        let mut out = vec![];
        img.write_with_encoder(PngEncoder::new(&mut out)).unwrap();
        out
    }

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(Kind::sniff(&png(2, 2)), Some(Kind::Png));
        assert_eq!(Kind::sniff(b"%PDF-1.7 ..."), Some(Kind::Pdf));
        assert_eq!(Kind::sniff(b"<html><script>"), None);
        assert_eq!(Kind::sniff(b"{\"type\": \"Person\"}"), None);
    }

    #[test]
    fn large_images_shrink_and_get_a_preview_and_blurhash() {
        let p = process(&png(4000, 3000), Kind::Png, 33_177_600).unwrap();
        assert!(u64::from(p.original.width) * u64::from(p.original.height) <= MAX_STORED_PIXELS);
        assert!(u64::from(p.preview.width) * u64::from(p.preview.height) <= PREVIEW_PIXELS);
        assert_eq!(p.preview.content_type, "image/jpeg");
        assert!(!p.blurhash.is_empty());
        let small = process(&png(20, 10), Kind::Png, 33_177_600).unwrap();
        assert_eq!((small.original.width, small.original.height), (20, 10));
    }

    #[test]
    fn too_many_pixels_are_refused_before_decoding() {
        assert!(process(&png(3000, 3000), Kind::Png, 1_000_000).is_err());
        assert!(process(b"\x89PNG\r\n\x1a\ngarbage", Kind::Png, 1_000_000).is_err());
    }
}
