package dev.runway.testing;

import dev.runway.tenancy.InvitationMailer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every mail the application sends in tests, kept for reading (then handed on: with no SMTP host, nothing is sent). */
@Alternative
@Priority(1)
@ApplicationScoped
public class MailSink extends InvitationMailer {

    public record Mail(String to, String subject, String text) {}

    private static final Pattern SIGN_UP_LINK = Pattern.compile("(https?://\\S+/signup/confirm/\\S+)");

    private final List<Mail> mails = new CopyOnWriteArrayList<>();

    @Override
    protected boolean deliver(String to, String subject, String text) {
        mails.add(new Mail(to, subject, text));
        return super.deliver(to, subject, text);
    }

    public List<Mail> to(String address) {
        return mails.stream().filter(m -> m.to().equalsIgnoreCase(address)).toList();
    }

    /** The sign-up link of the latest mail to {@code address}, if it carried one. */
    public Optional<String> signUpLink(String address) {
        List<Mail> received = to(address);
        if (received.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = SIGN_UP_LINK.matcher(received.get(received.size() - 1).text());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
