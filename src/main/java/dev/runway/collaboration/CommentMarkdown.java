package dev.runway.collaboration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.Code;
import org.commonmark.node.CustomNode;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListBlock;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.HtmlWriter;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * The Markdown of comments, and the @mentions in it. A mention is written {@code @[Name](user:42)}: the id makes it
 * exact whatever the name holds (spaces, 王小明, brackets) and tells two members of the same name apart; the name keeps
 * the text readable while it is written. The composer inserts it; the page shows the member's current name.
 *
 * <p>Rendering is two walls: commonmark escapes raw HTML and parses only paragraphs, emphasis, code, lists, quotes
 * and links (no headings, no HTML blocks, images become their alt text), then jsoup keeps only an allow-list of tags,
 * http/https/mailto links and the mention highlight, whatever the first step let through.
 */
public final class CommentMarkdown {

    /** The target of a mention link: a user id. */
    private static final Pattern MENTION_TARGET = Pattern.compile("user:([1-9][0-9]{0,17})");

    private static final Parser PARSER = Parser.builder()
            .enabledBlockTypes(Set.of(BlockQuote.class, FencedCodeBlock.class, IndentedCodeBlock.class,
                    ListBlock.class))
            .build();

    private static final Safelist SAFELIST = Safelist.none()
            .addTags("p", "br", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "a", "span")
            .addAttributes("a", "href")
            .addAttributes("ol", "start")
            .addAttributes("span", "class", "data-user")
            .addProtocols("a", "href", "http", "https", "mailto")
            .addEnforcedAttribute("a", "rel", "nofollow noopener noreferrer")
            .addEnforcedAttribute("a", "target", "_blank");

    private CommentMarkdown() {}

    /** The text the composer inserts to mention a member. */
    public static String mention(long userId, String name) {
        return "@[" + name.replaceAll("([\\\\\\[\\]])", "\\\\$1") + "](user:" + userId + ")";
    }

    /** The user ids mentioned in {@code markdown}, in order of first mention (members or not: callers filter). */
    public static Set<Long> mentionedIds(String markdown) {
        Set<Long> ids = new LinkedHashSet<>();
        parse(markdown).accept(new AbstractVisitor() {
            @Override
            public void visit(CustomNode node) {
                if (node instanceof Mention m) {
                    ids.add(m.userId);
                }
            }
        });
        return ids;
    }

    /**
     * Safe HTML for {@code markdown}. A mention of one of {@code members} (user id → current name) shows as a
     * highlighted "@Name"; a mention of anyone else as the plain text that was written.
     */
    public static String html(String markdown, Map<Long, String> members) {
        HtmlRenderer renderer = HtmlRenderer.builder()
                .escapeHtml(true)
                .sanitizeUrls(true)
                .softbreak("<br />")
                .nodeRendererFactory(context -> new MentionRenderer(context, members))
                .build();
        return clean(renderer.render(parse(markdown)));
    }

    /** The comment as one line of plain text, mentions as "@Name", e.g. for a notification's excerpt. */
    public static String plainText(String markdown, Map<Long, String> members) {
        StringBuilder out = new StringBuilder();
        parse(markdown).accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
                out.append(text.getLiteral());
            }

            @Override
            public void visit(Code code) {
                out.append(code.getLiteral());
            }

            @Override
            public void visit(HtmlInline html) {
                out.append(html.getLiteral());
            }

            @Override
            public void visit(FencedCodeBlock code) {
                space(out).append(code.getLiteral());
            }

            @Override
            public void visit(IndentedCodeBlock code) {
                space(out).append(code.getLiteral());
            }

            @Override
            public void visit(SoftLineBreak br) {
                space(out);
            }

            @Override
            public void visit(HardLineBreak br) {
                space(out);
            }

            @Override
            public void visit(Paragraph paragraph) {
                space(out);
                visitChildren(paragraph);
            }

            @Override
            public void visit(CustomNode node) {
                if (node instanceof Mention m) {
                    out.append('@').append(members.getOrDefault(m.userId, m.writtenName));
                }
            }
        });
        return out.toString().replaceAll("\\s+", " ").strip();
    }

    /** {@code text} cut to {@code max} characters (with "…"), never inside a surrogate pair. */
    public static String excerpt(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end).stripTrailing() + "…";
    }

    private static StringBuilder space(StringBuilder out) {
        if (!out.isEmpty() && out.charAt(out.length() - 1) != ' ') {
            out.append(' ');
        }
        return out;
    }

    /** Parses and turns "@" + a link to user:ID into a mention, and images into their alt text. */
    private static Node parse(String markdown) {
        Node document = PARSER.parse(markdown == null ? "" : markdown);
        List<Link> links = new ArrayList<>();
        List<Image> images = new ArrayList<>();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                links.add(link);
                visitChildren(link);
            }

            @Override
            public void visit(Image image) {
                images.add(image);
                visitChildren(image);
            }
        });
        for (Image image : images) {
            Node child = image.getFirstChild();
            while (child != null) {
                Node next = child.getNext();
                image.insertBefore(child);
                child = next;
            }
            image.unlink();
        }
        for (Link link : links) {
            Matcher target = MENTION_TARGET.matcher(link.getDestination());
            if (target.matches() && link.getPrevious() instanceof Text before && before.getLiteral().endsWith("@")) {
                String literal = before.getLiteral();
                if (literal.length() == 1) {
                    before.unlink();
                } else {
                    before.setLiteral(literal.substring(0, literal.length() - 1));
                }
                link.insertBefore(new Mention(Long.parseLong(target.group(1)), textOf(link)));
                link.unlink();
            }
        }
        return document;
    }

    private static String textOf(Node node) {
        StringBuilder text = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) {
                text.append(t.getLiteral());
            }

            @Override
            public void visit(Code c) {
                text.append(c.getLiteral());
            }
        });
        return text.toString();
    }

    /** The allow-list, and mention highlights only where the renderer made them. */
    private static String clean(String html) {
        Document cleaned = new Cleaner(SAFELIST).clean(Jsoup.parseBodyFragment(html, ""));
        cleaned.outputSettings().prettyPrint(false);
        for (Element span : cleaned.body().select("span")) {
            if (!"mention".equals(span.className()) || !span.attr("data-user").matches("[0-9]{1,18}")) {
                span.unwrap();
            }
        }
        return cleaned.body().html().strip();
    }

    /** A mention of a user id, with the name written in it. */
    static final class Mention extends CustomNode {

        final long userId;
        final String writtenName;

        Mention(long userId, String writtenName) {
            this.userId = userId;
            this.writtenName = writtenName;
        }
    }

    private static final class MentionRenderer implements NodeRenderer {

        private final HtmlWriter html;
        private final Map<Long, String> members;

        MentionRenderer(HtmlNodeRendererContext context, Map<Long, String> members) {
            this.html = context.getWriter();
            this.members = members;
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Mention.class);
        }

        @Override
        public void render(Node node) {
            Mention mention = (Mention) node;
            String name = members.get(mention.userId);
            if (name == null) {
                html.text("@" + mention.writtenName);
                return;
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("class", "mention");
            attributes.put("data-user", Long.toString(mention.userId));
            html.tag("span", attributes);
            html.text("@" + name);
            html.tag("/span");
        }
    }
}
