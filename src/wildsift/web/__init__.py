"""The web app (labelling, review, dashboard): not built yet; see the open issues."""
