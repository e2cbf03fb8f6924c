package dev.runway.webhook.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.checkbox.CheckboxGroupVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.FormDialog;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.SecretField;
import dev.runway.webhook.WebhookAttempt;
import dev.runway.webhook.WebhookDelivery;
import dev.runway.webhook.WebhookEndpoint;
import dev.runway.webhook.WebhookEvents;
import dev.runway.webhook.WebhookService;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The company's webhook endpoints as cards (readable at phone width): add and edit (URL, description, events), show,
 * copy and rotate the signing secret, switch on and off, delete, send a test event, and each endpoint's delivery log
 * with its attempts and "Redeliver".
 */
class WebhooksPanel extends VerticalLayout {

    private final WebhookService webhooks;
    private final Div list = new Div();
    private final EmptyState empty;

    WebhooksPanel(WebhookService webhooks) {
        this.webhooks = webhooks;
        setPadding(false);
        addClassName("webhooks");
        Button add = new Button("Add endpoint", VaadinIcon.PLUS.create(), e -> openEditor(null));
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout header = new HorizontalLayout(new H3("Webhooks"), add);
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.setWidthFull();
        header.expand(header.getComponentAt(0));
        Paragraph intro = new Paragraph("Runway sends a signed JSON POST to each endpoint when a chosen event "
                + "happens, and tries again over " + span(webhooks.settings().retryDelays()) + " ("
                + webhooks.settings().tries() + " tries) until it answers 2xx. Receivers check the Runway-Signature "
                + "header with the endpoint's secret (docs/webhooks.md).");
        intro.getStyle().set("color", "var(--lumo-secondary-text-color)").set("margin", "0");
        empty = new EmptyState("No webhook endpoints yet", "A webhook tells another system (chat, CI, a deployment "
                + "pipeline) what happened here: runs finished or failed, model stage changes and approval requests, "
                + "budget thresholds, finalised invoices.", new Button("Add endpoint", e -> openEditor(null)));
        list.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", "var(--lumo-space-m)")
                .set("width", "100%");
        add(header, intro, empty, list);
        refresh();
    }

    private void refresh() {
        List<WebhookEndpoint> endpoints = webhooks.list();
        list.removeAll();
        endpoints.forEach(endpoint -> list.add(card(endpoint)));
        list.setVisible(!endpoints.isEmpty());
        empty.setVisible(endpoints.isEmpty());
    }

    private Component card(WebhookEndpoint endpoint) {
        Div card = new Div();
        card.addClassNames("card", "webhook-endpoint");
        card.getStyle().set("gap", "var(--lumo-space-s)").set("min-width", "0");
        Span url = new Span(endpoint.getUrl());
        url.getStyle().set("font-weight", "600").set("overflow-wrap", "anywhere");
        Span status = badge(endpoint.isEnabled() ? "Active" : "Switched off",
                endpoint.isEnabled() ? "badge success" : "badge error");
        FlexLayout top = new FlexLayout(url, status);
        top.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        top.setAlignItems(FlexComponent.Alignment.CENTER);
        top.getStyle().set("gap", "var(--lumo-space-s)");
        card.add(top);
        if (!endpoint.getDescription().isBlank()) {
            card.add(new Span(endpoint.getDescription()));
        }
        FlexLayout events = new FlexLayout();
        events.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        events.getStyle().set("gap", "var(--lumo-space-xs)");
        endpoint.getEventTypes().forEach(type -> events.add(badge(type, "badge contrast")));
        card.add(events);
        if (!endpoint.isEnabled() && endpoint.getDisabledReason() != null) {
            Span reason = new Span(endpoint.getDisabledReason()
                    + (endpoint.getDisabledAt() == null ? "" : " (" + Formats.dateTime(endpoint.getDisabledAt()) + ")"));
            reason.getStyle().set("color", "var(--lumo-error-text-color)");
            card.add(reason);
        }

        Button edit = new Button("Edit", e -> openEditor(endpoint));
        Button secret = new Button("Secret", VaadinIcon.KEY.create(), e -> openSecret(endpoint, null));
        Button test = new Button("Send test event", e -> act(() -> {
            webhooks.sendTest(endpoint.getId());
            Messages.success("Test event queued for " + endpoint.getUrl() + ": see its deliveries");
        }));
        test.setEnabled(endpoint.isEnabled());
        Button log = new Button("Deliveries", VaadinIcon.LIST.create(), e -> openLog(endpoint));
        Button toggle = new Button(endpoint.isEnabled() ? "Switch off" : "Switch on", e -> act(() -> {
            webhooks.setEnabled(endpoint.getId(), !endpoint.isEnabled());
            Messages.success(endpoint.isEnabled() ? "Endpoint switched off: nothing is sent to it"
                    : "Endpoint switched on");
        }));
        Button delete = new Button("Delete", e -> confirmDelete(endpoint));
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        for (Button b : List.of(edit, secret, test, log, toggle, delete)) {
            b.addThemeVariants(ButtonVariant.LUMO_SMALL);
            b.getElement().setAttribute("data-endpoint", String.valueOf(endpoint.getId()));
        }
        FlexLayout actions = new FlexLayout(edit, secret, test, log, toggle, delete);
        actions.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        actions.getStyle().set("gap", "var(--lumo-space-s)");
        card.add(actions);
        return card;
    }

    private static Span badge(String text, String theme) {
        Span badge = new Span(text);
        badge.getElement().getThemeList().addAll(List.of(theme.split(" ")));
        return badge;
    }

    private void act(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException ex) {
            Messages.show(ex);
        }
        refresh();
    }

    private void openEditor(WebhookEndpoint existing) {
        FormDialog dialog = new FormDialog(existing == null ? "Add a webhook endpoint" : "Edit webhook endpoint",
                existing == null ? "Add endpoint" : "Save", "Cancel");
        dialog.setWidth("min(560px, 96vw)");
        TextField url = new TextField("URL");
        url.setPlaceholder("https://example.com/hooks/runway");
        url.setHelperText("An http(s) address on the public internet; Runway POSTs JSON to it and follows no redirects");
        url.setMaxLength(WebhookEndpoint.URL_MAX);
        url.setWidthFull();
        url.addValueChangeListener(e -> url.setInvalid(false));
        TextField description = new TextField("Description (optional)");
        description.setPlaceholder("e.g. Deploy pipeline");
        description.setMaxLength(WebhookEndpoint.DESCRIPTION_MAX);
        description.setWidthFull();
        CheckboxGroup<WebhookEvents.Type> events = new CheckboxGroup<>("Events to send");
        events.setItems(WebhookEvents.TYPES);
        events.setItemLabelGenerator(t -> t.label() + " (" + t.code() + ")");
        events.addThemeVariants(CheckboxGroupVariant.LUMO_VERTICAL);
        if (existing != null) {
            url.setValue(existing.getUrl());
            description.setValue(existing.getDescription());
            events.setValue(WebhookEvents.TYPES.stream().filter(t -> existing.receives(t.code()))
                    .collect(Collectors.toCollection(LinkedHashSet::new)));
        }
        VerticalLayout body = new VerticalLayout(url, description, events);
        body.setPadding(false);
        dialog.add(body);
        dialog.onSubmit(Map.of("url", url, "description", description, "eventTypes", events), () -> {
            Set<String> codes = events.getValue().stream().map(WebhookEvents.Type::code)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            WebhookService.Draft draft = new WebhookService.Draft(url.getValue(), description.getValue(), codes);
            if (existing == null) {
                WebhookService.Created created = webhooks.create(draft);
                dialog.close();
                refresh();
                openSecret(created.endpoint(), created.secret());
            } else {
                webhooks.update(existing.getId(), draft);
                dialog.done("Endpoint saved");
                refresh();
            }
        });
        dialog.open();
        url.focus();
    }

    /** The signing secret with a copy button and rotation; {@code fresh} is set right after adding the endpoint. */
    private void openSecret(WebhookEndpoint endpoint, String fresh) {
        String value;
        try {
            value = fresh != null ? fresh : webhooks.secret(endpoint.getId());
        } catch (RuntimeException ex) {
            Messages.show(ex);
            return;
        }
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(fresh != null ? "Endpoint added: its signing secret" : "Signing secret");
        dialog.setWidth("min(640px, 96vw)");
        SecretField secret = new SecretField("Secret for " + endpoint.getUrl(), value, "Secret", "webhook-secret");
        Paragraph how = new Paragraph("Your receiver recomputes HMAC-SHA256 with this secret over “<t>.<body>” and "
                + "compares it with v1 in the Runway-Signature header (t=<unix seconds>,v1=<hex>); it refuses old "
                + "timestamps and event ids it has seen (docs/webhooks.md). Keep the secret out of source control.");
        Button rotate = new Button("Rotate secret", VaadinIcon.REFRESH.create(), e -> {
            ConfirmDialog confirm = new ConfirmDialog("Rotate the secret?", "Deliveries are signed with the new "
                    + "secret from now on; the old one stops working at once. Update your receiver right after.",
                    "Rotate", ok -> {
                        try {
                            secret.setValue(webhooks.rotateSecret(endpoint.getId()));
                            Messages.success("New secret in force: update your receiver");
                        } catch (RuntimeException ex) {
                            Messages.show(ex);
                        }
                    });
            confirm.setCancelable(true);
            confirm.setConfirmButtonTheme("error primary");
            confirm.open();
        });
        rotate.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        VerticalLayout body = new VerticalLayout(secret, how);
        body.setPadding(false);
        dialog.add(body);
        dialog.getFooter().add(rotate, new Button("Close", e -> dialog.close()));
        dialog.open();
    }

    private void confirmDelete(WebhookEndpoint endpoint) {
        ConfirmDialog confirm = new ConfirmDialog("Delete this endpoint?", endpoint.getUrl() + " receives nothing "
                + "more, and its delivery log is deleted with it. Switch it off instead to keep the log.", "Delete",
                ok -> act(() -> {
                    webhooks.delete(endpoint.getId());
                    Messages.success("Endpoint deleted");
                }));
        confirm.setCancelable(true);
        confirm.setConfirmButtonTheme("error primary");
        confirm.open();
    }

    private void openLog(WebhookEndpoint endpoint) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Deliveries");
        dialog.setWidth("min(1200px, 98vw)");
        Paragraph to = new Paragraph("To " + endpoint.getUrl() + ", newest first (the latest "
                + WebhookService.LOG_PAGE + "). Click a row for its attempts.");
        to.getStyle().set("overflow-wrap", "anywhere").set("margin-top", "0");
        Grid<WebhookDelivery> grid = new Grid<>(WebhookDelivery.class, false);
        grid.addClassName("webhook-deliveries");
        // Status and event first: at phone width they are what fits before the grid scrolls sideways.
        grid.addComponentColumn(WebhooksPanel::statusBadge).setHeader("Status").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(WebhookDelivery::getEventType).setHeader("Event").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(d -> Formats.dateTime(d.getCreatedAt())).setHeader("Time").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(WebhookDelivery::getAttempts).setHeader("Tries").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(d -> d.getLastDurationMs() == null ? "" : d.getLastDurationMs() + " ms").setHeader("Duration")
                .setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(WebhooksPanel::answer).setHeader("Answer").setFlexGrow(1).setWidth("260px");
        grid.addComponentColumn(d -> redeliverButton(d, grid, endpoint)).setHeader("").setAutoWidth(true)
                .setFlexGrow(0);
        grid.setItemDetailsRenderer(new com.vaadin.flow.data.renderer.ComponentRenderer<>(this::attempts));
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText("Nothing sent yet: use “Send test event”, or wait for a chosen event to happen");
        grid.setItems(webhooks.deliveries(endpoint.getId()));
        Button reload = new Button("Refresh", VaadinIcon.REFRESH.create(),
                e -> grid.setItems(webhooks.deliveries(endpoint.getId())));
        dialog.add(to, grid);
        dialog.getFooter().add(reload, new Button("Close", e -> dialog.close()));
        dialog.open();
    }

    private Component redeliverButton(WebhookDelivery delivery, Grid<WebhookDelivery> grid,
            WebhookEndpoint endpoint) {
        if (delivery.getStatus() == WebhookDelivery.Status.DELIVERED) {
            return new Span();
        }
        Button redeliver = new Button("Redeliver", e -> {
            try {
                webhooks.redeliver(delivery.getId());
                Messages.success("Redelivery queued (same event id " + delivery.getEventId() + ")");
            } catch (RuntimeException ex) {
                Messages.show(ex);
            }
            grid.setItems(webhooks.deliveries(endpoint.getId()));
        });
        redeliver.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        return redeliver;
    }

    private Component attempts(WebhookDelivery delivery) {
        VerticalLayout rows = new VerticalLayout();
        rows.setPadding(false);
        rows.setSpacing(false);
        rows.add(new Span("Event id " + delivery.getEventId() + (delivery.getRedeliveries() == 0 ? ""
                : " · redelivered " + delivery.getRedeliveries() + (delivery.getRedeliveries() == 1 ? " time"
                        : " times"))));
        List<WebhookAttempt> attempts = webhooks.attempts(delivery.getId());
        if (attempts.isEmpty()) {
            rows.add(new Span("Not tried yet"));
        }
        for (int i = 0; i < attempts.size(); i++) {
            WebhookAttempt a = attempts.get(i);
            Span line = new Span("Try " + (i + 1) + " · " + Formats.dateTime(a.getAttemptedAt()) + " · "
                    + (a.getStatusCode() == null ? "no answer" : "HTTP " + a.getStatusCode()) + " · "
                    + a.getDurationMs() + " ms" + (a.getError() == null || a.getStatusCode() != null
                            && a.getError().equals("HTTP " + a.getStatusCode()) ? "" : " · " + a.getError())
                    + (a.getResponseSnippet() == null ? "" : " · " + clip(a.getResponseSnippet(), 300)));
            line.getStyle().set("word-break", "break-word").set("font-size", "var(--lumo-font-size-s)");
            rows.add(line);
        }
        if (delivery.getStatus() == WebhookDelivery.Status.PENDING && delivery.getNextAttemptAt() != null) {
            rows.add(new Span("Next try " + Formats.dateTime(delivery.getNextAttemptAt())));
        }
        return rows;
    }

    private static Component statusBadge(WebhookDelivery d) {
        return switch (d.getStatus()) {
            case DELIVERED -> badge("Delivered", "badge success");
            case FAILED -> badge("Failed", "badge error");
            case PENDING -> badge(d.getAttempts() == 0 ? "Queued" : "Retrying", "badge");
        };
    }

    private static String answer(WebhookDelivery d) {
        if (d.getLastAttemptAt() == null) {
            return "";
        }
        String status = d.getLastStatusCode() == null ? "" : "HTTP " + d.getLastStatusCode();
        String error = d.getLastError() == null || d.getLastError().equals(status) ? "" : d.getLastError();
        String snippet = d.getLastResponse() == null ? "" : clip(d.getLastResponse(), 120);
        return String.join(" · ", java.util.stream.Stream.of(status, error, snippet).filter(s -> !s.isBlank())
                .toList());
    }

    /** The retry delays' total, e.g. "23 h 36 min". */
    private static String span(List<Duration> delays) {
        Duration total = delays.stream().reduce(Duration.ZERO, Duration::plus);
        if (total.toMinutes() < 1) {
            return total.toSeconds() + " s";
        }
        long hours = total.toHours();
        long minutes = total.toMinutesPart();
        return hours == 0 ? minutes + " min" : hours + " h" + (minutes == 0 ? "" : " " + minutes + " min");
    }

    private static String clip(String s, int max) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }
}
