#pragma once

#include "core/result.h"
#include "llm/chattypes.h"

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

// Images for multimodal prompts: load (EXIF orientation applied), scale to a pixel budget,
// encode as a data: URL for an image_url content part, and estimate the prompt tokens it costs.
// Reentrant; no QGuiApplication needed (a QCoreApplication must exist for the JPEG plugin).
//
//     auto image = media::loadImage(path);
//     if (!image)
//         return image.error();
//     const QImage small = media::scaledToMaxPixels(*image, 1280 * 720);
//     auto part = media::imageContentPart(small, media::ImageFormat::Jpeg);
namespace flowbench::media {

enum class ImageFormat { Jpeg, Png };

// Reads an image file or bytes in any format Qt's plugins read, with EXIF orientation applied
// (QImageReader::setAutoTransform). Error codes: media.not-found, media.empty,
// media.bad-image (not an image, or damaged: the message says which).
[[nodiscard]] Result<QImage> loadImage(const QString &path);
[[nodiscard]] Result<QImage> loadImage(const QByteArray &bytes);

// Scaled down (never up, smooth) so that width * height <= maxPixels, aspect kept;
// maxPixels <= 0 returns the image unchanged. (The size rule is fitToMaxPixels in keyframes.h.)
[[nodiscard]] QImage scaledToMaxPixels(const QImage &image, qint64 maxPixels);

// JPEG (quality 0..100; alpha flattened onto white) or PNG bytes. Error code: media.encode.
[[nodiscard]] Result<QByteArray> encodeImage(const QImage &image, ImageFormat format,
                                             int quality = 90);
// "data:image/jpeg;base64,..." or "data:image/png;base64,...".
[[nodiscard]] Result<QString> imageDataUrl(const QImage &image, ImageFormat format,
                                           int quality = 90);
// An ImageUrl content part holding imageDataUrl().
[[nodiscard]] Result<llm::ContentPart> imageContentPart(const QImage &image, ImageFormat format,
                                                        int quality = 90);

// Estimated prompt tokens for one image of this size, after the server's own resizing.
// Rule (openai-endpoints.md §7.2, Ovis2.5 on vLLM, the model the spec names): the image is
// resized so its pixel count lies in [448*448, 1792*1792] (aspect kept), then costs
// H*W/1024 visual tokens (16-pixel patches, 2x2 merged) plus kImageIndicatorTokens
// (<ovis_image_start>, the visual atom, <ovis_image_end>...). 896x504 -> 441 + 4;
// 1280x720 -> 900 + 4; 1792x1792 -> 3136 + 4. Returns 0 for an empty size.
constexpr int kImageIndicatorTokens = 4;
constexpr qint64 kImageMinPixels = 448 * 448;
constexpr qint64 kImageMaxPixels = 1792 * 1792;
[[nodiscard]] int estimateImageVisualTokens(QSize size);
[[nodiscard]] int estimateImageTokens(QSize size); // visual + kImageIndicatorTokens

} // namespace flowbench::media
