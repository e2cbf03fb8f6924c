package dev.runway.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runway's mails (invitations, sign-up links, "you already have an account") through Jakarta Mail when
 * {@code runway.smtp.host} is set. Without SMTP an invitation link is shown to the inviter, and a sign-up mail is
 * written to the server log (the only place its link appears, since the page answers the same for every email).
 */
@ApplicationScoped
public class InvitationMailer {

    private static final Logger LOG = Logger.getLogger(InvitationMailer.class);

    @ConfigProperty(name = "runway.smtp.host")
    Optional<String> host;

    @ConfigProperty(name = "runway.smtp.port", defaultValue = "587")
    int port;

    @ConfigProperty(name = "runway.smtp.username")
    Optional<String> username;

    @ConfigProperty(name = "runway.smtp.password")
    Optional<String> password;

    @ConfigProperty(name = "runway.smtp.starttls", defaultValue = "true")
    boolean startTls;

    @ConfigProperty(name = "runway.smtp.from", defaultValue = "runway@localhost")
    String from;

    /** @return whether the mail was handed to the SMTP server */
    boolean send(String to, String inviter, String company, Role role, String url) {
        return deliver(to, inviter + " invited you to " + company + " on Runway",
                inviter + " invited you to join " + company + " on Runway as " + role.label() + ".\n\n"
                        + "Accept the invitation (it works once, for 7 days):\n" + url + "\n");
    }

    /** The link that finishes a sign-up; logged when no SMTP server is configured. */
    void sendSignUpLink(String to, String company, String url) {
        mailOrLog(to, "Confirm your email to create " + company + " on Runway",
                "Someone, hopefully you, asked to create the company " + company + " on Runway with this email.\n\n"
                        + "Open this link to create it (it works once, for 24 hours):\n" + url + "\n\n"
                        + "If it was not you, ignore this mail: nothing is created without the link.\n");
    }

    /** Sent instead of a second account when the email already has one. */
    void sendAccountExists(String to, String signInUrl) {
        mailOrLog(to, "You already have a Runway account",
                "Someone, hopefully you, tried to sign up on Runway with this email, which already has an account.\n\n"
                        + "Sign in here: " + signInUrl + "\n"
                        + "To join another company, ask one of its owners or admins for an invitation.\n\n"
                        + "If it was not you, ignore this mail.\n");
    }

    /** Whether mails can be sent at all ({@code runway.smtp.host} is set). */
    public boolean configured() {
        return host.isPresent();
    }

    /** A notification mail (the activity feature's); false when it was not handed to the SMTP server. */
    public boolean sendNotification(String to, String subject, String text) {
        return deliver(to, subject, text);
    }

    private void mailOrLog(String to, String subject, String text) {
        if (!deliver(to, subject, text)) {
            LOG.infof("Mail to %s (no SMTP server configured, or it failed): %s%n%s", to, subject, text);
        }
    }

    /** Hands one plain-text mail to the SMTP server; tests record mails by replacing this bean. */
    protected boolean deliver(String to, String subject, String text) {
        if (host.isEmpty()) {
            return false;
        }
        Properties props = new Properties();
        props.put("mail.smtp.host", host.get());
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.starttls.enable", Boolean.toString(startTls));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "5000");
        Authenticator authenticator = null;
        if (username.isPresent()) {
            props.put("mail.smtp.auth", "true");
            authenticator = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(username.get(), password.orElse(""));
                }
            };
        }
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(props, authenticator));
            message.setFrom(new InternetAddress(from));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
            message.setSubject(subject, "UTF-8");
            message.setText(text, "UTF-8");
            Transport.send(message);
            return true;
        } catch (MessagingException | RuntimeException e) {
            LOG.warnf(e, "Could not mail %s", to);
            return false;
        }
    }
}
