package dev.runway.collaboration.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.collaboration.CommentService;
import dev.runway.collaboration.CommentSubject;
import java.util.List;
import java.util.Map;

/**
 * The comments on one run, model version or dataset version: the thread (Markdown rendered safely, mentions
 * highlighted), a composer with mention completion for members who may comment, edit and delete of one's own.
 */
public class CommentsPanel extends VerticalLayout {

    private final CommentService comments;
    private final Div thread = new Div();
    private final VerticalLayout composerArea = new VerticalLayout();
    private final H3 title = new H3("Comments");
    private CommentSubject.Type type;
    private long subjectId = -1;
    private List<CommentService.Mentionable> members = List.of();
    private MentionComposer composer;
    private boolean canComment;

    public CommentsPanel(CommentService comments) {
        this.comments = comments;
        addClassName("comments-panel");
        setPadding(false);
        setSpacing(false);
        thread.addClassName("comment-thread");
        thread.setWidthFull();
        composerArea.setPadding(false);
        composerArea.setSpacing(false);
        add(title, thread, composerArea);
    }

    /** Shows the comments on {@code id}; keeps an unsent draft when the subject stays the same. */
    public CommentsPanel show(CommentSubject.Type type, long id) {
        boolean same = type == this.type && id == subjectId;
        this.type = type;
        this.subjectId = id;
        members = comments.mentionable();
        String draft = same && composer != null ? composer.getValue() : "";
        composerArea.removeAll();
        composer = null;
        canComment = comments.canComment();
        if (canComment) {
            composer = new MentionComposer("Add a comment", members);
            composer.setValue(draft);
            Button post = new Button("Comment", e -> post());
            post.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            composerArea.add(composer, post);
        }
        refresh();
        return this;
    }

    private void refresh() {
        thread.removeAll();
        List<CommentService.Entry> entries = comments.list(type, subjectId);
        title.setText(entries.isEmpty() ? "Comments" : "Comments (" + entries.size() + ")");
        if (entries.isEmpty()) {
            Paragraph none = new Paragraph(composer == null ? "No comments yet."
                    : "No comments yet. Note what you found, ask a question, or @mention a teammate.");
            none.addClassName("comment-empty");
            thread.add(none);
        }
        entries.forEach(entry -> thread.add(entry(entry)));
    }

    private void post() {
        try {
            comments.add(type, subjectId, composer.getValue());
            composer.setValue("");
            composer.field().setInvalid(false);
            refresh();
        } catch (RuntimeException ex) {
            Messages.show(ex, Map.of("body", composer.field()));
        }
    }

    private Div entry(CommentService.Entry entry) {
        Div card = new Div();
        card.addClassName("comment");
        card.setId("comment-" + entry.id());
        HorizontalLayout meta = new HorizontalLayout();
        meta.addClassName("comment-meta");
        meta.setAlignItems(FlexComponent.Alignment.BASELINE);
        Span author = new Span(entry.authorName());
        author.addClassName("comment-author");
        Span time = new Span(Formats.dateTime(entry.createdAt()));
        time.addClassName("comment-time");
        meta.add(author, time);
        if (entry.editedAt() != null) {
            Span edited = new Span("edited");
            edited.addClassName("comment-edited");
            edited.getElement().setAttribute("title", "Edited " + Formats.dateTime(entry.editedAt()));
            meta.add(edited);
        }
        Div body = body(entry);
        card.add(meta, body);
        if (entry.mine()) {
            Button edit = new Button("Edit", e -> edit(card, body, entry));
            Button delete = new Button("Delete", e -> confirmDelete(entry));
            edit.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_SMALL);
            delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_SMALL,
                    ButtonVariant.LUMO_ERROR);
            edit.setVisible(canComment);
            Div actions = new Div(edit, delete);
            actions.addClassName("comment-actions");
            meta.add(actions);
        }
        return card;
    }

    private static Div body(CommentService.Entry entry) {
        Div body = new Div();
        body.addClassName("comment-body");
        // Safe by construction: CommentMarkdown escapes raw HTML and cleans the result with an allow-list.
        body.getElement().setProperty("innerHTML", entry.html());
        return body;
    }

    private void edit(Div card, Div body, CommentService.Entry entry) {
        MentionComposer editor = new MentionComposer("Edit comment", members);
        editor.setValue(entry.body());
        Button save = new Button("Save", e -> {
            try {
                comments.edit(entry.id(), editor.getValue());
                refresh();
            } catch (RuntimeException ex) {
                Messages.show(ex, Map.of("body", editor.field()));
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
        Button cancel = new Button("Cancel", e -> refresh());
        cancel.addThemeVariants(ButtonVariant.LUMO_SMALL);
        Div editing = new Div(editor, new HorizontalLayout(save, cancel));
        editing.addClassName("comment-editing");
        card.replace(body, editing);
        editor.focus();
    }

    private void confirmDelete(CommentService.Entry entry) {
        ConfirmDialog confirm = new ConfirmDialog("Delete this comment?",
                "It disappears for everyone. This cannot be undone.", "Delete", ok -> {
                    try {
                        comments.delete(entry.id());
                        Messages.success("Comment deleted");
                    } catch (RuntimeException ex) {
                        Messages.show(ex);
                    }
                    refresh();
                });
        confirm.setCancelable(true);
        confirm.setConfirmButtonTheme("error primary");
        confirm.open();
    }
}
