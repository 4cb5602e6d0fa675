#pragma once

#include <QPixmap>
#include <QWidget>

#include "runtime/runevent.h"

class QLabel;
class QPlainTextEdit;
class QScrollArea;
class QStackedWidget;

namespace flowbench::panels {

// Read-only view of one pool value: long text as it is, objects and arrays as pretty JSON, and
// images for file values whose url (or remote_url, path) is a data: URL or a local file.
class ValueViewer : public QWidget
{
    Q_OBJECT

public:
    enum class Mode { Empty, Text, Json, Image };

    explicit ValueViewer(QWidget *parent = nullptr);

    void setValue(const runtime::Json &value);
    void clear();

    [[nodiscard]] Mode mode() const { return m_mode; }
    [[nodiscard]] QString text() const;                       // Text and Json modes
    [[nodiscard]] QPixmap pixmap() const { return m_pixmap; } // Image mode

    // The image a file value points at, or a null pixmap.
    [[nodiscard]] static QPixmap imageOf(const runtime::Json &value);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateImage();

    Mode m_mode = Mode::Empty;
    QStackedWidget *m_stack = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QScrollArea *m_imageArea = nullptr;
    QLabel *m_image = nullptr;
    QLabel *m_imageInfo = nullptr;
    QPixmap m_pixmap;
};

} // namespace flowbench::panels
