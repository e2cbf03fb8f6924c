package dev.runway.collaboration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The Markdown subset of comments, rendered safely: hostile input stays text, links stay harmless. */
class CommentMarkdownTest {

    private static final Map<Long, String> MEMBERS = Map.of(7L, "Ana Silva", 8L, "王小明", 9L, "Ana Silva");

    private static String html(String markdown) {
        return CommentMarkdown.html(markdown, MEMBERS);
    }

    /** Every element and attribute of the output, checked against the allow-list. */
    private static void assertOnlyAllowedMarkup(String html) {
        Document doc = Jsoup.parseBodyFragment(html);
        for (Element e : doc.body().getAllElements()) {
            assertThat(e.tagName()).as(html).isIn("body", "p", "br", "em", "strong", "code", "pre", "ul", "ol", "li",
                    "blockquote", "a", "span");
            e.attributes().forEach(a -> assertThat(a.getKey()).as(html)
                    .isIn("href", "rel", "target", "class", "data-user", "start"));
            if (e.hasAttr("href")) {
                assertThat(e.attr("href")).as(html).matches("(?i)(https?|mailto):.*");
            }
        }
    }

    @Test
    void the_subset_renders_paragraphs_emphasis_code_lists_quotes_and_links() {
        String html = html("Hello **bold** and _it_ with `x < 1`\n\n- one\n- two\n\n1. first\n\n> quoted\n\n"
                + "```\nif (a < b) {}\n```\n\n[docs](https://example.com/a?b=1&c=2)");
        assertThat(html).contains("<strong>bold</strong>", "<em>it</em>", "<code>x &lt; 1</code>",
                "<ul>\n<li>one</li>\n<li>two</li>\n</ul>", "<ol>\n<li>first</li>\n</ol>", "<blockquote>", "<pre><code>if (a &lt; b) {}",
                "<a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer\" "
                        + "target=\"_blank\">docs</a>");
        assertOnlyAllowedMarkup(html);
    }

    @Test
    void a_script_tag_stays_text() {
        String html = html("<script>alert(1)</script> and inline <script>alert(2)</script>");
        assertThat(html).doesNotContain("<script").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertOnlyAllowedMarkup(html);
    }

    @Test
    void an_image_with_an_error_handler_stays_text() {
        String html = html("<img src=x onerror=alert(1)>\n\ntext <img src=x onerror=alert(2)>");
        assertThat(html).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;");
        assertOnlyAllowedMarkup(html);
    }

    @Test
    void markdown_images_show_their_alt_text_and_load_nothing() {
        String html = html("look ![a chart](https://evil.example/track.png) here");
        assertThat(html).isEqualTo("<p>look a chart here</p>");
    }

    @Test
    void javascript_and_data_links_lose_their_target() {
        for (String markdown : new String[] {"[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))",
                "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "[x](vbscript:msgbox(1))",
                "[x](&#106;avascript:alert(1))", "[x](java%0ascript:alert(1))", "<javascript:alert(1)>",
                "[x](/relative/path)", "[x](//evil.example/)"}) {
            String html = html(markdown);
            assertThat(Jsoup.parseBodyFragment(html).select("a[href]")).as(html).isEmpty();
            assertOnlyAllowedMarkup(html);
        }
    }

    @Test
    void html_entities_are_decoded_once_and_escaped_again() {
        String html = html("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &copy; &#60;b&#62;");
        assertThat(html).isEqualTo("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; © &lt;b&gt;</p>");
    }

    @Test
    void autolinks_of_web_and_mail_addresses_become_safe_links() {
        String html = html("see <https://example.com/x> or <ana@example.com>");
        assertThat(html).contains("<a href=\"https://example.com/x\" rel=\"nofollow noopener noreferrer\"",
                "<a href=\"mailto:ana@example.com\"");
        assertOnlyAllowedMarkup(html);
    }

    @Test
    void attributes_cannot_be_smuggled_through_link_titles_or_urls() {
        String html = html("[x](https://example.com/\"onmouseover=\"alert(1) \"t\" onclick=alert(1))"
                + " [y](https://example.com/ 'a\" onclick=\"alert(1)')");
        Document doc = Jsoup.parseBodyFragment(html);
        assertThat(doc.select("[onmouseover], [onclick], [title]")).as(html).isEmpty();
        assertThat(doc.select("a[href]")).as(html).extracting(a -> a.attr("href"))
                .containsExactly("https://example.com/");
        assertOnlyAllowedMarkup(html);
    }

    @Test
    void headings_and_raw_html_blocks_are_not_part_of_the_subset() {
        String html = html("# Big\n\n<div onclick=\"x\">raw</div>\n\n<iframe src=https://evil.example>");
        assertThat(html).doesNotContain("<h1", "<div", "<iframe").contains("# Big", "&lt;div onclick=");
        assertOnlyAllowedMarkup(html);
    }

    @Test
    void a_mention_of_a_member_renders_highlighted_with_their_current_name() {
        String html = html("Hi " + CommentMarkdown.mention(7, "Ana S.") + ", see this");
        assertThat(html).isEqualTo(
                "<p>Hi <span class=\"mention\" data-user=\"7\">@Ana Silva</span>, see this</p>");
    }

    @Test
    void mentions_survive_names_with_spaces_cjk_and_brackets_and_tell_namesakes_apart() {
        String body = CommentMarkdown.mention(8, "王小明") + " and " + CommentMarkdown.mention(9, "Ana Silva")
                + " and " + CommentMarkdown.mention(7, "Ana [QA] Silva \\ x");
        assertThat(CommentMarkdown.mentionedIds(body)).containsExactly(8L, 9L, 7L);
        assertThat(html(body)).contains("data-user=\"8\">@王小明</span>", "data-user=\"9\">@Ana Silva</span>",
                "data-user=\"7\">@Ana Silva</span>");
    }

    @Test
    void a_mention_of_a_non_member_is_plain_text_and_code_mentions_nobody() {
        String body = "@[Mallory](user:99) and `@[Ana](user:7)`";
        assertThat(html(body)).isEqualTo("<p>@Mallory and <code>@[Ana](user:7)</code></p>");
        assertThat(CommentMarkdown.mentionedIds(body)).containsExactly(99L);
    }

    @Test
    void a_mention_link_cannot_forge_the_highlight_or_carry_markup() {
        String html = html("@[<b>x</b>](user:7) [@Ana](user:7) <span class=\"mention\">fake</span>");
        assertThat(html).contains("<span class=\"mention\" data-user=\"7\">@Ana Silva</span>")
                .doesNotContain("<b>", "<span class=\"mention\">fake");
        assertOnlyAllowedMarkup(html);
    }

    @Test
    void plain_text_and_excerpts_show_mentions_by_name() {
        String body = "**Look** at " + CommentMarkdown.mention(8, "x") + ":\n\n- the `loss`\n- the curve";
        assertThat(CommentMarkdown.plainText(body, MEMBERS)).isEqualTo("Look at @王小明: the loss the curve");
        assertThat(CommentMarkdown.excerpt("a".repeat(100), 80)).hasSize(81).endsWith("…");
        assertThat(CommentMarkdown.excerpt("😀".repeat(50), 81)).doesNotContain("\uFFFD").endsWith("…");
    }
}
