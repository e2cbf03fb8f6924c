package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a list: its items, and the cursor of the next page when there is one. */
@Schema(description = "A page of a list: `items`, and `next` (the cursor of the next page) unless this is the last "
        + "page")
public record ListPage<T>(
        @Schema(description = "this page's items, in the list's order") List<T> items,
        @Schema(description = "pass as ?cursor= for the next page; absent on the last page", nullable = true,
                example = "eyJrIjoiQ2h1cm4iLCJpIjozfQ")
        @JsonInclude(JsonInclude.Include.NON_NULL) String next) {}
