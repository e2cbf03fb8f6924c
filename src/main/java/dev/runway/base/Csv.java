package dev.runway.base;

/** Cells of the CSV files Runway writes for spreadsheets. */
public final class Csv {

    private Csv() {}

    /**
     * A text cell a spreadsheet shows as text: one starting with = + - @ (or tab/CR) would be run as a formula
     * (=HYPERLINK(…) in a note sends whoever opens the file elsewhere), so it gets a leading quote mark. Only for
     * text people or programs typed; numbers Runway formats itself are written as they are, so they stay numbers.
     */
    public static String text(String value) {
        String cell = value == null ? "" : value;
        if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
            return "'" + cell;
        }
        return cell;
    }
}
