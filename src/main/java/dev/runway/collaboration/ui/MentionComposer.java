package dev.runway.collaboration.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextArea;
import dev.runway.collaboration.Comment;
import dev.runway.collaboration.CommentMarkdown;
import dev.runway.collaboration.CommentService;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A text area for a comment that offers members to mention: "@" and the start of a name (any script, spaces allowed)
 * before the caret opens a short list under the field; arrows and Enter or Tab pick with the keyboard, a click picks
 * with the mouse, Escape closes it. Picking inserts {@code @[Name](user:id)}.
 */
class MentionComposer extends Composite<Div> {

    static final int SUGGESTIONS = 8;

    /** How far back from the caret an "@" still starts a mention being typed. */
    private static final int QUERY_MAX = 40;

    /** Characters before "@" that let it start a mention: start, white space, an opening bracket or quote. */
    private static final Pattern BEFORE_AT = Pattern.compile("[\\s(\\[{\"'“‘>]");

    /**
     * Keys the list takes while it is open, handled in the browser first so that Enter adds no line and the arrows do
     * not move the caret; the server hears them as a "mention-key" event.
     */
    private static final String KEYS = """
            const field = this;
            if (field.__mentionKeys) return;
            field.__mentionKeys = true;
            field.addEventListener('keydown', e => {
              if (field.hasAttribute('suggesting')
                  && ['ArrowDown', 'ArrowUp', 'Enter', 'Tab', 'Escape'].includes(e.key)) {
                e.preventDefault();
                e.stopPropagation();
                field.dispatchEvent(new CustomEvent('mention-key', {detail: e.key}));
              }
            }, true);""";

    private final TextArea text = new TextArea();
    private final Div suggestions = new Div();
    private final List<CommentService.Mentionable> members;
    private List<CommentService.Mentionable> shown = List.of();
    private int active;
    private String typed = "";
    private int at = -1;
    private int caret;

    MentionComposer(String label, List<CommentService.Mentionable> members) {
        this.members = members;
        text.setLabel(label);
        text.setWidthFull();
        text.setMinRows(3);
        text.setMaxLength(Comment.BODY_MAX);
        text.setHelperText("Markdown: **bold**, _italic_, `code`, lists, > quotes, links. Type @ to mention someone.");
        suggestions.addClassName("mention-suggestions");
        suggestions.getElement().setAttribute("role", "listbox");
        // Hidden by attribute, not setVisible: Vaadin stops updating an invisible component's children, and a closed
        // list must lose its options in the page too.
        suggestions.getElement().setAttribute("hidden", true);
        getContent().addClassName("mention-composer");
        getContent().setWidthFull();
        getContent().add(text, suggestions);

        text.getElement().addEventListener("input", e -> typed(
                        e.getEventData().getString("element.inputElement.value"),
                        (int) e.getEventData().getNumber("element.inputElement.selectionStart")))
                .addEventData("element.inputElement.value")
                .addEventData("element.inputElement.selectionStart")
                .debounce(120);
        text.getElement().addEventListener("mention-key", e -> key(e.getEventData().getString("event.detail")))
                .addEventData("event.detail");
    }

    @Override
    protected void onAttach(AttachEvent event) {
        text.getElement().executeJs(KEYS);
    }

    TextArea field() {
        return text;
    }

    String getValue() {
        return text.getValue();
    }

    void setValue(String value) {
        text.setValue(value);
        close();
    }

    void focus() {
        text.focus();
    }

    /** What the member typed and where the caret is: opens, narrows or closes the list. */
    private void typed(String value, int position) {
        typed = value == null ? "" : value;
        caret = Math.max(0, Math.min(position, typed.length()));
        at = mentionStart(typed, caret);
        if (at < 0) {
            close();
            return;
        }
        String query = typed.substring(at + 1, caret).toLowerCase(Locale.ROOT);
        shown = members.stream().filter(m -> matches(m, query)).limit(SUGGESTIONS).toList();
        if (shown.isEmpty()) {
            close();
            return;
        }
        active = 0;
        renderSuggestions();
    }

    /** The index of the "@" of a mention being typed just before {@code caret}, or -1. */
    static int mentionStart(String value, int caret) {
        for (int i = caret - 1; i >= 0 && i >= caret - QUERY_MAX - 1; i--) {
            char c = value.charAt(i);
            if (c == '\n' || c == '@' && i + 1 < caret && value.charAt(i + 1) == '[') {
                return -1;
            }
            if (c == '@') {
                return i == 0 || BEFORE_AT.matcher(String.valueOf(value.charAt(i - 1))).matches() ? i : -1;
            }
        }
        return -1;
    }

    /**
     * A member matches when their whole name, a word of it, or their email starts with what was typed, or, for a name
     * in Chinese, Japanese or Korean, when it holds what was typed anywhere.
     */
    static boolean matches(CommentService.Mentionable member, String query) {
        if (query.isBlank()) {
            return query.isEmpty();
        }
        String name = member.name().toLowerCase(Locale.ROOT);
        if (name.startsWith(query) || member.email().toLowerCase(Locale.ROOT).startsWith(query)) {
            return true;
        }
        for (String word : name.split("\\s+")) {
            if (word.startsWith(query)) {
                return true;
            }
        }
        // Chinese, Japanese and Korean names are written without spaces: any part of one may be what people type.
        return name.contains(" " + query) || query.codePoints().anyMatch(MentionComposer::unspaced)
                && name.contains(query);
    }

    private static boolean unspaced(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
    }

    private void key(String key) {
        if (shown.isEmpty()) {
            close();
            return;
        }
        switch (key) {
            case "ArrowDown" -> {
                active = (active + 1) % shown.size();
                renderSuggestions();
            }
            case "ArrowUp" -> {
                active = (active + shown.size() - 1) % shown.size();
                renderSuggestions();
            }
            case "Enter", "Tab" -> pick(shown.get(active));
            default -> close();
        }
    }

    private void pick(CommentService.Mentionable member) {
        if (at < 0 || at >= typed.length() || caret > typed.length()) {
            close();
            return;
        }
        String mention = CommentMarkdown.mention(member.userId(), member.name()) + " ";
        String value = typed.substring(0, at) + mention + typed.substring(caret);
        int position = at + mention.length();
        typed = value;
        text.setValue(value);
        close();
        text.getElement().executeJs("const input = this.inputElement; input.focus();"
                + " input.setSelectionRange($0, $0);", position);
    }

    private void renderSuggestions() {
        suggestions.removeAll();
        // Two members may share a name: the email tells them apart.
        for (int i = 0; i < shown.size(); i++) {
            CommentService.Mentionable member = shown.get(i);
            Div option = new Div(new Span(member.name()), small(member.email()));
            option.addClassName("mention-option");
            option.getElement().setAttribute("role", "option");
            option.getElement().setAttribute("aria-selected", Boolean.toString(i == active));
            option.addClickListener(e -> pick(member));
            suggestions.add(option);
        }
        suggestions.getElement().removeAttribute("hidden");
        text.getElement().setAttribute("suggesting", true);
    }

    private static Span small(String text) {
        Span span = new Span(text);
        span.addClassName("mention-email");
        return span;
    }

    private void close() {
        shown = List.of();
        suggestions.removeAll();
        suggestions.getElement().setAttribute("hidden", true);
        text.getElement().removeAttribute("suggesting");
    }
}
