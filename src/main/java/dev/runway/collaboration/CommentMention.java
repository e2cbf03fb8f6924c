package dev.runway.collaboration;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A member mentioned in a comment (a user id, checked to be a member when the comment was saved). */
@Entity
@Table(name = "comment_mention")
@IdClass(CommentMention.Key.class)
@EntityListeners(TenantGuard.class)
class CommentMention {

    @Id
    @Column(name = "comment_id", nullable = false, updatable = false)
    private Long commentId;

    @Id
    @Column(name = "user_id", nullable = false, updatable = false)
    private Long userId;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    protected CommentMention() {}

    CommentMention(Long commentId, Long userId) {
        this.commentId = commentId;
        this.userId = userId;
    }

    Long getUserId() {
        return userId;
    }

    /** The composite key. */
    public static class Key implements Serializable {

        private Long commentId;
        private Long userId;

        public Key() {}

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && Objects.equals(k.commentId, commentId) && Objects.equals(k.userId, userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(commentId, userId);
        }
    }
}
