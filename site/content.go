package site

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.yaml.in/yaml/v3"
)

// Page is one page of the portal in one language.
type Page struct {
	Lang        string // fr or en
	Slug        string // path below the language folder, without .html: "methodology", "families/framing"
	Title       string
	Description string
	Nav         int // order in the top navigation; 0 keeps the page out of it
	Body        []byte
}

// frontMatter is what a content file declares above its Markdown.
type frontMatter struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Nav         int    `yaml:"nav"`
}

// markdown renders GitHub-flavoured Markdown, with links to other content
// files (x.md) turned into links to their pages (x.html). Raw HTML is not
// rendered: content is text.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(
		parser.WithAutoHeadingID(),
		parser.WithASTTransformers(util.Prioritized(mdLinks{}, 100)),
	),
	goldmark.WithRendererOptions(html.WithXHTML()),
)

type mdLinks struct{}

// Transform rewrites relative links to .md files into links to .html pages.
func (mdLinks) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			l.Destination = []byte(pageLink(string(l.Destination)))
		}
		return ast.WalkContinue, nil
	})
}

// pageLink turns "x.md" and "x.md#a" into "x.html" and "x.html#a"; other
// links are left alone.
func pageLink(dest string) string {
	if strings.Contains(dest, "://") || strings.HasPrefix(dest, "mailto:") {
		return dest
	}
	file, frag, _ := strings.Cut(dest, "#")
	if !strings.HasSuffix(file, ".md") {
		return dest
	}
	out := strings.TrimSuffix(file, ".md") + ".html"
	if frag != "" {
		out += "#" + frag
	}
	return out
}

// loadContent reads content/{fr,en}/**/*.md.
func loadContent(content fs.FS) ([]*Page, error) {
	var pages []*Page
	err := fs.WalkDir(content, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".md" {
			return err
		}
		lang, rest, ok := strings.Cut(p, "/")
		if !ok || (lang != "fr" && lang != "en") {
			return fmt.Errorf("%s: content files live in fr/ or en/", p)
		}
		src, err := fs.ReadFile(content, p)
		if err != nil {
			return err
		}
		page, err := parsePage(p, src)
		if err != nil {
			return err
		}
		page.Lang, page.Slug = lang, strings.TrimSuffix(rest, ".md")
		pages = append(pages, page)
		return nil
	})
	sort.Slice(pages, func(i, j int) bool { return pages[i].Lang+pages[i].Slug < pages[j].Lang+pages[j].Slug })
	return pages, err
}

// parsePage reads the front matter and renders the Markdown of one file.
func parsePage(name string, src []byte) (*Page, error) {
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return nil, fmt.Errorf("%s:1: missing front matter (--- title, description ---)", name)
	}
	end := bytes.Index(src[4:], []byte("\n---\n"))
	if end < 0 {
		return nil, fmt.Errorf("%s:1: front matter is not closed by ---", name)
	}
	var fm frontMatter
	dec := yaml.NewDecoder(bytes.NewReader(src[4 : 4+end]))
	dec.KnownFields(true)
	if err := dec.Decode(&fm); err != nil {
		return nil, fmt.Errorf("%s: front matter: %v", name, err)
	}
	if fm.Title == "" || fm.Description == "" {
		return nil, fmt.Errorf("%s: front matter needs a title and a description", name)
	}
	var body bytes.Buffer
	if err := markdown.Convert(src[4+end+5:], &body); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return &Page{Title: fm.Title, Description: fm.Description, Nav: fm.Nav, Body: body.Bytes()}, nil
}
