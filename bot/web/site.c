/*
 * site.c - export-site: the public pages as static files. The same
 * renderer as the server, told to write relative links to .html files, so
 * the copy works from any static host and straight from the file system.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/err.h"
#include "web/html.h"
#include "web/page.h"
#include "web/web.h"

#define PAGE_MAX (1024u * 1024u)

static int make_dir(const char *path, struct buf *err)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return BOT_OK;
	buf_addf(err, "cannot create the folder %s: %s", path, strerror(errno));
	return BOT_EIO;
}

static int write_file(const char *path, const char *data, size_t len, struct buf *err)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL) {
		buf_addf(err, "cannot write %s: %s", path, strerror(errno));
		return BOT_EIO;
	}
	bool ok = fwrite(data, 1, len, f) == len;

	if (fclose(f) != 0)
		ok = false;
	if (!ok) {
		buf_addf(err, "cannot write %s: %s", path, strerror(errno));
		return BOT_EIO;
	}
	return BOT_OK;
}

/* Renders the server path into dir/file with links relative to root. */
static int export_page(const struct content *c, const char *dir, const char *path, const char *file,
                       const char *root, struct buf *err)
{
	struct buf body;
	struct html h;
	char *out = xasprintf("%s/%s", dir, file);
	int rc;

	buf_init(&body, PAGE_MAX);
	h.b = &body;
	h.files = true;
	h.root = root;
	rc = page_render(c, NULL, &h, path, NULL) == 200 ? BOT_OK : BOT_ENOENT;
	if (rc == BOT_OK)
		rc = write_file(out, body.data, body.len, err);
	else
		buf_addf(err, "the page %s would not render", path);
	buf_cleanup(&body);
	free(out);
	return rc;
}

static int export_all(const struct content *c, const char *dir, size_t *files, struct buf *err)
{
	char path[300], file[300];
	size_t i;
	int rc = export_page(c, dir, "/", "index.html", "", err);

	for (i = 0; rc == BOT_OK && i < c->ntopics; i++, (*files)++) {
		snprintf(path, sizeof(path), "/t/%s", c->topics[i].slug);
		snprintf(file, sizeof(file), "t/%s.html", c->topics[i].slug);
		rc = export_page(c, dir, path, file, "../", err);
	}
	for (i = 0; rc == BOT_OK && i < c->nquestions; i++, (*files)++) {
		snprintf(path, sizeof(path), "/q/%s", c->questions[i].id);
		snprintf(file, sizeof(file), "q/%s.html", c->questions[i].id);
		rc = export_page(c, dir, path, file, "../", err);
	}
	return rc;
}

int web_export_site(const struct content *c, const char *dir, size_t *files, struct buf *err)
{
	char *t = xasprintf("%s/t", dir), *q = xasprintf("%s/q", dir),
	     *css = xasprintf("%s/style.css", dir), *icon = xasprintf("%s/favicon.svg", dir);
	int rc;

	*files = 0;
	rc = make_dir(dir, err);
	if (rc == BOT_OK)
		rc = make_dir(t, err);
	if (rc == BOT_OK)
		rc = make_dir(q, err);
	if (rc == BOT_OK)
		rc = write_file(css, HTML_STYLE, strlen(HTML_STYLE), err);
	if (rc == BOT_OK)
		rc = write_file(icon, HTML_ICON, strlen(HTML_ICON), err);
	if (rc == BOT_OK) {
		*files = 3; /* the stylesheet, the icon and the index */
		rc = export_all(c, dir, files, err);
	}
	free(t);
	free(q);
	free(css);
	free(icon);
	return rc;
}
