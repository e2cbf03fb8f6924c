package dev.runway.base.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;
import java.io.ByteArrayInputStream;
import java.util.function.Supplier;

/**
 * A download link whose file is made when it is clicked. The click arrives on a request of its own, outside the
 * page's session context, so {@code content} must act as the signed-in member itself (wrap it in
 * {@code TenantContext.runAs} with the actor captured when the page was built); a refusal becomes a 403 with its
 * message.
 */
public final class Download {

    private Download() {}

    public static Anchor link(String text, String fileName, String contentType, Supplier<byte[]> content) {
        Anchor anchor = new Anchor(DownloadHandler.fromInputStream(event -> {
            try {
                byte[] bytes = content.get();
                return new DownloadResponse(new ByteArrayInputStream(bytes), fileName, contentType, bytes.length);
            } catch (RuntimeException e) {
                return DownloadResponse.error(403, Messages.describe(e));
            }
        }), text);
        anchor.getElement().setAttribute("download", true);
        return anchor;
    }
}
