"""What the room reads, built from committed results alone and free of Qt: the debrief, the
briefing and the projector's panels (``panels``), and later the after-action report. The
app's widgets only display these texts, so every screen words a turn the same way."""
