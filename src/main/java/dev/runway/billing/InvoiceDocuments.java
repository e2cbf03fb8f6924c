package dev.runway.billing;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import de.siegmar.fastcsv.writer.CsvWriter;
import dev.runway.base.Csv;
import dev.runway.base.Money;
import dev.runway.tenancy.TenantService;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * An invoice as a PDF (OpenPDF) and as CSV: the same lines and totals the Billing page shows. The PDF embeds (a subset
 * of) the first Unicode font found in {@code runway.invoice.fonts}, so that project and company names in any script
 * print; the PDF's standard fonts cover Latin-1 only. The CSV starts with a UTF-8 byte order mark, which spreadsheets
 * need to read it as UTF-8.
 */
@ApplicationScoped
public class InvoiceDocuments {

    /** The byte order mark that tells spreadsheets the CSV is UTF-8. */
    public static final String BOM = "\uFEFF";

    private static final Logger LOG = Logger.getLogger(InvoiceDocuments.class);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

    /** Font files tried in order; a TrueType collection's first font is used. */
    @ConfigProperty(name = "runway.invoice.fonts", defaultValue = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc,"
            + "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc,"
            + "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
    List<String> fontFiles;

    private volatile Optional<BaseFont> unicodeFont;

    @Inject
    InvoiceService invoices;

    @Inject
    TenantService tenants;

    /** A file name such as "runway-invoice-RW-0003-2026-10.pdf". */
    public static String fileName(Invoice invoice, String extension) {
        return "runway-invoice-" + invoice.label().toLowerCase(Locale.ROOT) + "-" + invoice.getPeriod() + "."
                + extension;
    }

    @Transactional
    public byte[] pdf(long invoiceId) {
        Invoice invoice = invoices.get(invoiceId);
        List<InvoiceLine> lines = invoices.lines(invoiceId);
        Currency currency = invoice.getCurrency();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4, 48, 48, 48, 48);
        PdfWriter.getInstance(document, out);
        document.open();
        Optional<BaseFont> unicode = unicodeFont();
        Font title = unicode.map(f -> new Font(f, 18, Font.BOLD))
                .orElseGet(() -> FontFactory.getFont(FontFactory.HELVETICA_BOLD, 18));
        Font bold = unicode.map(f -> new Font(f, 10, Font.BOLD))
                .orElseGet(() -> FontFactory.getFont(FontFactory.HELVETICA_BOLD, 10));
        Font body = unicode.map(f -> new Font(f, 10, Font.NORMAL))
                .orElseGet(() -> FontFactory.getFont(FontFactory.HELVETICA, 10));
        document.add(new Paragraph("Runway invoice " + invoice.label(), title));
        document.add(new Paragraph(tenants.current().getName(), bold));
        document.add(new Paragraph("Period: " + MONTH.format(invoice.getPeriod()) + " · " + invoice.getPlanSummary()
                + " · Status: " + invoice.getStatus().name().toLowerCase(Locale.ROOT), body));
        if (invoice.getFinalisedAt() != null) {
            document.add(new Paragraph("Issued " + invoice.getFinalisedAt().atZone(ZoneOffset.UTC).toLocalDate(),
                    body));
        }
        document.add(new Paragraph(" ", body));
        PdfPTable table = new PdfPTable(new float[] {5.5f, 1.6f, 1.2f, 1.4f, 1.5f});
        table.setWidthPercentage(100);
        for (String head : List.of("Item", "Quantity", "Unit", "Unit price", "Amount")) {
            table.addCell(cell(head, bold, Element.ALIGN_LEFT));
        }
        for (InvoiceLine line : lines) {
            table.addCell(cell(line.getDescription() + " (prices v" + line.getPriceVersion() + ")", body,
                    Element.ALIGN_LEFT));
            table.addCell(cell(line.getQuantity().stripTrailingZeros().toPlainString(), body, Element.ALIGN_RIGHT));
            table.addCell(cell(line.getUnit(), body, Element.ALIGN_LEFT));
            table.addCell(cell(Money.format(line.getUnitPrice(), currency), body, Element.ALIGN_RIGHT));
            table.addCell(cell(Money.format(line.getAmount(), currency), body, Element.ALIGN_RIGHT));
        }
        total(table, "Subtotal", invoice.getSubtotal(), currency, body);
        total(table, "Prepaid credit applied", invoice.getCreditsApplied().negate(), currency, body);
        total(table, "Total due", invoice.getTotal(), currency, bold);
        document.add(table);
        document.add(new Paragraph(" ", body));
        document.add(new Paragraph("Each line's amount is quantity × unit price, rounded half up to the cent; the "
                + "subtotal is the sum of the lines.", body));
        if (invoice.getPaymentReference() != null) {
            document.add(new Paragraph("Paid " + invoice.getPaidAt().atZone(ZoneOffset.UTC).toLocalDate()
                    + ", reference " + invoice.getPaymentReference(), body));
        }
        if (invoice.getVoidReason() != null) {
            document.add(new Paragraph("Void: " + invoice.getVoidReason(), bold));
        }
        document.close();
        return out.toByteArray();
    }

    @Transactional
    public String csv(long invoiceId) {
        Invoice invoice = invoices.get(invoiceId);
        Currency currency = invoice.getCurrency();
        StringWriter out = new StringWriter();
        out.write(BOM);
        try (CsvWriter csv = CsvWriter.builder().build(out)) {
            csv.writeRecord("invoice", "period", "status", "position", "project_id", "description", "resource",
                    "quantity", "unit", "unit_price", "amount", "currency", "price_version");
            for (InvoiceLine line : invoices.lines(invoiceId)) {
                csv.writeRecord(invoice.label(), invoice.getPeriod().toString(), invoice.getStatus().name(),
                        Integer.toString(line.getPosition()),
                        line.getProjectId() == null ? "" : line.getProjectId().toString(),
                        Csv.text(line.getDescription()), line.getResource().name(), line.getQuantity().toPlainString(),
                        Csv.text(line.getUnit()),
                        line.getUnitPrice().toPlainString(), line.getAmount().toPlainString(),
                        currency.getCurrencyCode(), Integer.toString(line.getPriceVersion()));
            }
            csv.writeRecord(invoice.label(), invoice.getPeriod().toString(), invoice.getStatus().name(), "", "",
                    "Subtotal", "", "", "", "", invoice.getSubtotal().toPlainString(), currency.getCurrencyCode(),
                    "");
            csv.writeRecord(invoice.label(), invoice.getPeriod().toString(), invoice.getStatus().name(), "", "",
                    "Prepaid credit applied", "", "", "", "", invoice.getCreditsApplied().negate().toPlainString(),
                    currency.getCurrencyCode(), "");
            csv.writeRecord(invoice.label(), invoice.getPeriod().toString(), invoice.getStatus().name(), "", "",
                    "Total due", "", "", "", "", invoice.getTotal().toPlainString(), currency.getCurrencyCode(), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The packaged application loads the font at start-up: a missing font package is an error in the log when the
     * server starts, not a surprise in the first invoice a customer opens. Tests and development load it when needed.
     */
    void loadFontAtStart(@Observes StartupEvent event) {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            unicodeFont();
        }
    }

    /** The first readable font of {@code runway.invoice.fonts}, loaded once; empty (and said in the log) if none. */
    Optional<BaseFont> unicodeFont() {
        Optional<BaseFont> font = unicodeFont;
        if (font == null) {
            font = load();
            unicodeFont = font;
        }
        return font;
    }

    private Optional<BaseFont> load() {
        for (String file : fontFiles) {
            String path = file.strip();
            if (path.isEmpty() || !Files.isReadable(Path.of(path))) {
                continue;
            }
            try {
                BaseFont font = BaseFont.createFont(path.toLowerCase(Locale.ROOT).endsWith(".ttc") ? path + ",0" : path,
                        BaseFont.IDENTITY_H, BaseFont.EMBEDDED);
                LOG.infof("Invoice PDFs embed the font %s", path);
                return Optional.of(font);
            } catch (Exception e) {
                LOG.warnf("Invoice PDFs cannot use the font %s: %s", path, e.getMessage());
            }
        }
        LOG.logf(LaunchMode.current() == LaunchMode.NORMAL ? Logger.Level.ERROR : Logger.Level.WARN,
                "No Unicode font for invoice PDFs at %s: names outside Latin-1 (e.g. Japanese, Chinese) will be "
                + "missing from invoice PDFs. Install Debian's fonts-wqy-microhei (or fonts-noto-cjk) or set "
                + "runway.invoice.fonts to a TrueType/OpenType font file.", fontFiles);
        return Optional.empty();
    }

    private static void total(PdfPTable table, String label, BigDecimal amount, Currency currency, Font font) {
        PdfPCell name = cell(label, font, Element.ALIGN_RIGHT);
        name.setColspan(4);
        table.addCell(name);
        table.addCell(cell(Money.format(amount, currency), font, Element.ALIGN_RIGHT));
    }

    private static PdfPCell cell(String text, Font font, int align) {
        PdfPCell cell = new PdfPCell(new Phrase(text, font));
        cell.setHorizontalAlignment(align);
        cell.setPadding(4);
        return cell;
    }
}
