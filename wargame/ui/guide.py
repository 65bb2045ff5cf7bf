"""Help > How to run an exercise: the facilitator's guide (``assets/guide/``, Markdown, the
steps of the README with its screenshots), shown in a window that can stay open beside the
app while the exercise runs.

The guide is Markdown so it reads the same on GitHub; its pictures are the README's
screenshots, scaled down here to the width of the window.
"""
from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from wargame.resources import guide_path, screenshots_dir

IMAGE_MARGIN = 40  # px left free beside a picture (scroll bar, document margins)


def guide_markdown() -> str:
    return guide_path().read_text(encoding="utf-8")


class GuideDialog(QDialog):
    """A non-modal window with the guide; pictures follow the window's width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("GuideDialog")
        self.setWindowTitle("How to run an exercise")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("How to run an exercise")
        self.browser.setOpenExternalLinks(True)
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        document = self.browser.document()
        document.setBaseUrl(QUrl.fromLocalFile(str(screenshots_dir()) + "/"))
        self.browser.setSearchPaths([str(screenshots_dir())])
        self.browser.setMarkdown(guide_markdown())
        self._natural_widths: dict[str, float] = {}
        self.resize(860, 700)

    def image_names(self) -> list[str]:
        """The pictures the guide shows, in order."""
        return [fmt.name() for _cursor, fmt in self._images()]

    def _images(self):
        document = self.browser.document()
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(),
                                       QTextCursor.MoveMode.KeepAnchor)
                    yield cursor, fmt.toImageFormat()
                it += 1
            block = block.next()

    def _fit_images(self) -> None:
        """Scale every picture down to the text's width (never up), keeping its shape."""
        available = max(200, self.browser.viewport().width() - IMAGE_MARGIN)
        document = self.browser.document()
        for cursor, fmt in list(self._images()):
            image = document.resource(QTextDocument.ResourceType.ImageResource,
                                      QUrl(fmt.name()))
            if image is None or not hasattr(image, "width") or image.width() <= 0:
                continue
            width = min(float(image.width()), float(available))
            scaled = QTextImageFormat(fmt)
            scaled.setWidth(width)
            scaled.setHeight(width * image.height() / image.width())
            cursor.setCharFormat(scaled)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit_images()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._fit_images()
