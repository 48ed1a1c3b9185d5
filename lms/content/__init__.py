"""Pure: the course model, the loader, Markdown rendering, front matter. No Flask, no database."""
