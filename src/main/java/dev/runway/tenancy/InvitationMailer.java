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

/** Mails invitation links through Jakarta Mail when {@code runway.smtp.host} is set; the inviter always sees the link. */
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
            message.setSubject(inviter + " invited you to " + company + " on Runway", "UTF-8");
            message.setText(inviter + " invited you to join " + company + " on Runway as " + role.label() + ".\n\n"
                    + "Accept the invitation (it works once, for 7 days):\n" + url + "\n", "UTF-8");
            Transport.send(message);
            return true;
        } catch (MessagingException | RuntimeException e) {
            LOG.warnf(e, "Could not mail the invitation to %s; the link is shown to the inviter", to);
            return false;
        }
    }
}
