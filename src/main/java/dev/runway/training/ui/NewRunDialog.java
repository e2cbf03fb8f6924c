package dev.runway.training.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import dev.runway.base.BadInputException;
import dev.runway.base.ui.Messages;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetService.DatasetSummary;
import dev.runway.dataset.Preparation;
import dev.runway.training.AutoRuns;
import dev.runway.training.Run;
import dev.runway.training.RunService;
import dev.runway.training.ScheduleService;
import dev.runway.training.engine.Activation;
import dev.runway.training.engine.Augmentation;
import dev.runway.training.engine.ClassWeights;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.LearningRateSchedule;
import dev.runway.training.engine.OptimizerKind;
import dev.runway.training.engine.Task;
import dev.runway.training.engine.Template;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The submit form: a dataset version, then Auto (the default: {@link AutoSection}) or a template with its defaults,
 * hyperparameters, device and priority.
 */
class NewRunDialog extends Dialog {

    private final ComboBox<DatasetSummary> dataset = new ComboBox<>("Dataset (latest version)");
    private final Select<Template> template = new Select<>();
    private final Select<OptimizerKind> optimizer = new Select<>();
    private final NumberField learningRate = new NumberField("Learning rate");
    private final IntegerField batchSize = new IntegerField("Batch size");
    private final IntegerField epochs = new IntegerField("Epochs");
    private final TextField hiddenLayers = new TextField("Layer sizes");
    private final Select<Activation> activation = new Select<>();
    private final NumberField dropout = new NumberField("Dropout");
    private final IntegerField patience = new IntegerField("Early-stopping patience (epochs, 0 = off)");
    private final IntegerField seed = new IntegerField("Seed");
    private final NumberField weightDecay = new NumberField("L2 weight decay");
    private final Select<LearningRateSchedule> rateSchedule = new Select<>();
    private final IntegerField warmup = new IntegerField("Warm-up epochs");
    private final Select<ClassWeights> classWeights = new Select<>();
    private final Select<String> device = new Select<>();
    private final IntegerField priority = new IntegerField("Priority (0–100)");
    private final ComboBox<String> pool = new ComboBox<>("Pool (optional)");
    private final IntegerField imageChannels = new IntegerField("Image channels");
    private final IntegerField imageHeight = new IntegerField("Image height (pixels)");
    private final IntegerField imageWidth = new IntegerField("Image width (pixels)");
    private final IntegerField embeddingSize = new IntegerField("Embedding size");
    private final IntegerField attentionHeads = new IntegerField("Attention heads");
    private final IntegerField encoderLayers = new IntegerField("Encoder layers");
    private final IntegerField maxTokens = new IntegerField("Tokens per text");
    private final IntegerField vocabularySize = new IntegerField("Vocabulary size");
    private final IntegerField shift = new IntegerField("Random shifts (± pixels)");
    private final NumberField rotation = new NumberField("Random rotations (± degrees)");
    private final NumberField noise = new NumberField("Gaussian noise (standard deviations)");
    private final Checkbox oversample = new Checkbox("Oversample rare classes");
    private final NumberField tokenDropout = new NumberField("Token dropout (probability)");
    private final NumberField tokenSwap = new NumberField("Token swaps (probability)");
    private final Details augmentationBox = new Details("Augmentation of the training rows (off by default)");
    private final Paragraph task = new Paragraph();
    /** The chosen dataset version's task, which decides the text and augmentation fields shown. */
    private Preparation.TaskType taskType;
    /** The price before starting: the plan's rate × the expected time. */
    private final Paragraph estimate = new Paragraph();
    private Hyperparameters base;

    private final TextField scheduleName = new TextField("Schedule name");
    private final TextField cron = new TextField("Cron (UTC)");
    private final Checkbox onNewVersion = new Checkbox("Also run on every new version of the dataset");

    NewRunDialog(RunService runs, ScheduleService schedules, DatasetService datasets, AutoRuns auto,
            Consumer<Run> started, Consumer<Long> autoStarted, Runnable scheduled) {
        setHeaderTitle("New training run");
        dataset.setItems(datasets.list(null).stream().filter(s -> s.latest() != null).toList());
        dataset.setItemLabelGenerator(s -> s.projectName() + " / " + s.dataset().getName() + " v"
                + s.latest().getVersion());
        dataset.setWidthFull();
        template.setLabel("Template");
        template.setItems(Template.values());
        // No template is Auto, the default: Runway picks the model from the data and tunes it.
        template.setEmptySelectionAllowed(true);
        template.setEmptySelectionCaption(AutoSection.LABEL);
        template.setItemLabelGenerator(t -> t == null ? AutoSection.LABEL : t.label());
        AutoSection autoSection = new AutoSection(auto);
        optimizer.setLabel("Optimiser");
        optimizer.setItems(OptimizerKind.values());
        optimizer.setItemLabelGenerator(Labels::optimizer);
        activation.setLabel("Activation");
        activation.setItems(Activation.values());
        activation.setItemLabelGenerator(Labels::activation);
        hiddenLayers.setHelperText("Comma-separated, e.g. 128 or 64, 32");
        weightDecay.setId("run-weight-decay");
        weightDecay.setHelperText("0 = off; e.g. 0.0001");
        rateSchedule.setId("run-schedule");
        rateSchedule.setLabel("Learning-rate schedule");
        rateSchedule.setItems(LearningRateSchedule.values());
        rateSchedule.setItemLabelGenerator(Labels::schedule);
        warmup.setId("run-warmup");
        warmup.setHelperText("The rate rises from 0 over these epochs");
        classWeights.setId("run-class-weights");
        classWeights.setLabel("Class weights");
        classWeights.setItems(ClassWeights.values());
        classWeights.setItemLabelGenerator(Labels::classWeights);
        classWeights.setHelperText("Rare classes weigh more in the loss");
        device.setLabel("Device");
        device.setItems("auto", "cpu", "gpu");
        device.setItemLabelGenerator(d -> switch (d) {
            case "cpu" -> "CPU";
            case "gpu" -> "GPU";
            default -> "Auto (GPU when the node has one)";
        });
        device.setValue("auto");
        priority.setValue(50);
        pool.setId("run-pool");
        pool.setItems(runs.pools());
        pool.setClearButtonVisible(true);
        pool.setPlaceholder("gpu for a GPU run, else cpu");
        pool.setHelperText("The worker pool that runs it");

        imageChannels.setId("run-image-channels");
        imageHeight.setId("run-image-height");
        imageWidth.setId("run-image-width");
        imageWidth.setHelperText("Channels × height × width = the feature columns (digits: 1 × 8 × 8)");
        embeddingSize.setId("run-embedding-size");
        attentionHeads.setId("run-attention-heads");
        attentionHeads.setHelperText("Must divide the embedding size");
        encoderLayers.setId("run-encoder-layers");
        maxTokens.setId("run-max-tokens");
        vocabularySize.setId("run-vocabulary-size");
        vocabularySize.setHelperText("Padding, unknown and the most frequent training words");
        shift.setId("run-augment-shift");
        shift.setHelperText("0 to 4; images only");
        rotation.setId("run-augment-rotation");
        rotation.setHelperText("0 to 30; images only");
        noise.setId("run-augment-noise");
        noise.setHelperText("0 to 1, of each feature's spread; numbers and images");
        oversample.setId("run-augment-oversample");
        tokenDropout.setId("run-augment-token-dropout");
        tokenDropout.setHelperText("0 to 0.5");
        tokenSwap.setId("run-augment-token-swap");
        tokenSwap.setHelperText("0 to 0.5; Transformer only (word order)");
        dataset.addValueChangeListener(e -> {
            Optional<Preparation> preparation = e.getValue() == null ? Optional.empty()
                    : datasets.preparation(e.getValue().latest().getId());
            taskType = preparation.map(Preparation::task).orElse(null);
            task.setText(preparation.map(p -> "Task: " + p.task().name().toLowerCase().replace('_', ' ')
                    + ", predicting “" + p.target() + "”").orElse(e.getValue() == null ? ""
                    : "This version has no preparation settings yet: set them on the dataset's page first."));
            preparation.filter(p -> template.getValue() != null).ifPresent(p -> Arrays.stream(Template.values())
                    .filter(t -> t.fits(Task.of(p.task()))).findFirst().ifPresent(template::setValue));
            if (template.getValue() != null) {
                show(template.getValue());
            }
            autoSection.show(e.getValue() == null ? null : e.getValue().latest().getId());
        });
        template.addValueChangeListener(e -> {
            if (e.getValue() != null) {
                fill(Hyperparameters.defaults(e.getValue()));
            }
        });

        estimate.setId("run-estimate");
        estimate.addClassName("run-estimate");
        Runnable reprice = () -> showEstimate(runs);
        dataset.addValueChangeListener(e -> reprice.run());
        template.addValueChangeListener(e -> reprice.run());
        epochs.addValueChangeListener(e -> reprice.run());
        device.addValueChangeListener(e -> reprice.run());
        FormLayout form = new FormLayout(dataset, task, template, optimizer, learningRate, batchSize, epochs,
                hiddenLayers, activation, dropout, imageChannels, imageHeight, imageWidth, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, weightDecay, rateSchedule, warmup,
                classWeights, patience, seed, device, priority, pool, estimate);
        form.setColspan(estimate, 2);
        form.setColspan(dataset, 2);
        form.setColspan(task, 2);
        form.setWidth("640px");
        form.setMaxWidth("100%");
        add(form, autoSection);
        FormLayout augmentation = new FormLayout(shift, rotation, noise, oversample, tokenDropout, tokenSwap);
        augmentation.setWidth("640px");
        augmentation.setMaxWidth("100%");
        augmentationBox.add(new Paragraph("Drawn afresh each epoch from the seed; validation and test rows are "
                + "never changed."), augmentation);
        augmentationBox.setId("new-run-augmentation");
        add(augmentationBox);
        cron.setPlaceholder("0 0 2 * * *");
        cron.setHelperText("Six fields: second minute hour day month weekday; 0 0 2 * * * is every night at 02:00");
        FormLayout repeat = new FormLayout(scheduleName, cron, onNewVersion);
        repeat.setColspan(onNewVersion, 2);
        Details repeatBox = new Details("Repeat on a schedule instead", repeat);
        add(repeatBox);

        Map<String, HasValidation> fields = Map.ofEntries(Map.entry("dataset", dataset),
                Map.entry("template", template), Map.entry("optimizer", optimizer),
                Map.entry("learningRate", learningRate), Map.entry("batchSize", batchSize),
                Map.entry("epochs", epochs), Map.entry("hiddenLayers", hiddenLayers),
                Map.entry("dropout", dropout), Map.entry("earlyStoppingPatience", patience),
                Map.entry("weightDecay", weightDecay), Map.entry("schedule", rateSchedule),
                Map.entry("warmupEpochs", warmup), Map.entry("classWeights", classWeights),
                Map.entry("device", device), Map.entry("priority", priority), Map.entry("pool", pool),
                Map.entry("imageChannels", imageChannels), Map.entry("imageHeight", imageHeight),
                Map.entry("imageWidth", imageWidth), Map.entry("embeddingSize", embeddingSize),
                Map.entry("attentionHeads", attentionHeads), Map.entry("encoderLayers", encoderLayers),
                Map.entry("maxTokens", maxTokens), Map.entry("vocabularySize", vocabularySize),
                Map.entry("augmentation.shift", shift), Map.entry("augmentation.rotation", rotation),
                Map.entry("augmentation.noise", noise), Map.entry("augmentation.tokenDropout", tokenDropout),
                Map.entry("augmentation.tokenSwap", tokenSwap));
        Button start = new Button("Start run", e -> {
            Messages.clear(fields);
            Messages.clear(autoSection.fields());
            try {
                if (dataset.getValue() == null) {
                    throw new BadInputException("dataset", "Choose a dataset");
                }
                if (template.getValue() == null) {
                    long sweepId = autoSection.start();
                    close();
                    Messages.success("Auto started");
                    autoStarted.accept(sweepId);
                    return;
                }
                Run run = runs.submit(new RunService.Submission(dataset.getValue().latest().getId(), read(),
                        device.getValue(), priority.getValue() == null ? 50 : priority.getValue(), pool.getValue()));
                close();
                Messages.success("Run " + run.getId() + " queued");
                started.accept(run);
            } catch (RuntimeException ex) {
                if (ex instanceof BadInputException bad && bad.field() != null
                        && bad.field().startsWith("augmentation.")) {
                    augmentationBox.setOpened(true);
                }
                Map<String, HasValidation> all = new java.util.HashMap<>(fields);
                all.putAll(autoSection.fields());
                Messages.show(ex, all);
            }
        });
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Map<String, HasValidation> scheduleFields = Map.of("name", scheduleName, "cron", cron, "dataset", dataset,
                "template", template, "epochs", epochs, "learningRate", learningRate, "hiddenLayers", hiddenLayers);
        Button schedule = new Button("Save schedule", e -> {
            Messages.clear(scheduleFields);
            try {
                if (dataset.getValue() == null) {
                    throw new BadInputException("dataset", "Choose a dataset");
                }
                schedules.create(new ScheduleService.ScheduleForm(scheduleName.getValue(),
                        dataset.getValue().dataset().getId(), read(), device.getValue(),
                        priority.getValue() == null ? 50 : priority.getValue(), cron.getValue(),
                        onNewVersion.getValue()));
                close();
                Messages.success("Schedule " + scheduleName.getValue() + " saved");
                scheduled.run();
            } catch (RuntimeException ex) {
                repeatBox.setOpened(true);
                Messages.show(ex, scheduleFields);
            }
        });
        getFooter().add(new Button("Cancel", e -> close()), schedule, start);

        // Under Auto only the dataset and Auto's own limits are asked; a template shows its settings again.
        List<Component> manual = new ArrayList<>(form.getChildren().filter(c -> c != dataset && c != task
                && c != template).toList());
        manual.addAll(List.of(augmentationBox, repeatBox, schedule));
        template.addValueChangeListener(e -> {
            autoSection.setVisible(e.getValue() == null);
            manual.forEach(c -> c.setVisible(e.getValue() != null));
            if (e.getValue() != null) {
                show(e.getValue());
            }
        });
        manual.forEach(c -> c.setVisible(false));
        autoSection.show(null);
    }

    private void fill(Hyperparameters h) {
        base = h;
        optimizer.setValue(h.optimizer());
        learningRate.setValue(h.learningRate());
        batchSize.setValue(h.batchSize());
        epochs.setValue(h.epochs());
        hiddenLayers.setValue(h.hiddenLayers() == null ? "" : h.hiddenLayers().stream().map(String::valueOf)
                .reduce((a, b) -> a + ", " + b).orElse(""));
        activation.setValue(h.activation());
        dropout.setValue(h.dropout());
        patience.setValue(h.earlyStoppingPatience());
        seed.setValue((int) h.seed());
        weightDecay.setValue(h.weightDecay());
        rateSchedule.setValue(h.schedule());
        warmup.setValue(h.warmupEpochs());
        classWeights.setValue(h.classWeights());
        imageChannels.setValue(h.imageChannels());
        imageHeight.setValue(h.imageHeight());
        imageWidth.setValue(h.imageWidth());
        embeddingSize.setValue(h.embeddingSize());
        attentionHeads.setValue(h.attentionHeads());
        encoderLayers.setValue(h.encoderLayers());
        maxTokens.setValue(h.maxTokens());
        vocabularySize.setValue(h.vocabularySize());
        Augmentation a = h.augmentationOrNone();
        shift.setValue(a.shift());
        rotation.setValue(a.rotation());
        noise.setValue(a.noise());
        oversample.setValue(a.oversample());
        tokenDropout.setValue(a.tokenDropout());
        tokenSwap.setValue(a.tokenSwap());
        show(h.template());
    }

    /** Only the fields the template (and the dataset's task) reads. */
    private void show(Template t) {
        boolean layers = t == Template.MLP || t == Template.CNN;
        hiddenLayers.setVisible(layers);
        hiddenLayers.setLabel(t == Template.CNN ? "Channels per convolution layer" : "Layer sizes");
        hiddenLayers.setHelperText(t == Template.CNN ? "Comma-separated, e.g. 16, 32"
                : "Comma-separated, e.g. 128 or 64, 32");
        activation.setVisible(t == Template.MLP);
        dropout.setVisible(layers || t == Template.TRANSFORMER);
        boolean cnn = t == Template.CNN;
        boolean transformer = t == Template.TRANSFORMER;
        boolean text = transformer || taskType == Preparation.TaskType.TEXT_CLASSIFICATION;
        imageChannels.setVisible(cnn);
        imageHeight.setVisible(cnn);
        imageWidth.setVisible(cnn);
        embeddingSize.setVisible(transformer);
        attentionHeads.setVisible(transformer);
        encoderLayers.setVisible(transformer);
        maxTokens.setVisible(text);
        vocabularySize.setVisible(text);
        shift.setVisible(cnn);
        rotation.setVisible(cnn);
        noise.setVisible(!text);
        oversample.setVisible(text || taskType != Preparation.TaskType.REGRESSION
                && t != Template.LINEAR_REGRESSION);
        tokenDropout.setVisible(text);
        tokenSwap.setVisible(transformer);
        classWeights.setVisible(taskType != Preparation.TaskType.REGRESSION && t != Template.LINEAR_REGRESSION);
    }

    /** Shows what the run would cost, or why it cannot start (budget, plan), as the form changes. */
    private void showEstimate(RunService runs) {
        if (dataset.getValue() == null || template.getValue() == null) {
            estimate.setText("");
            return;
        }
        try {
            estimate.setText("Estimated cost: " + runs.estimate(new RunService.Submission(
                    dataset.getValue().latest().getId(), read(), device.getValue(),
                    priority.getValue() == null ? 50 : priority.getValue())).describe());
        } catch (BadInputException e) {
            estimate.setText("budget".equals(e.field()) || "device".equals(e.field()) ? e.getMessage()
                    : "Estimated cost: complete the form first");
        } catch (RuntimeException e) {
            estimate.setText("");
        }
    }

    private Hyperparameters read() {
        if (base == null || template.getValue() == null) {
            throw new BadInputException("template", "Choose a template");
        }
        if (learningRate.isInvalid() || batchSize.isInvalid() || epochs.isInvalid() || dropout.isInvalid()) {
            throw new BadInputException("learningRate", "Enter numbers in the number fields");
        }
        if (weightDecay.isInvalid()) {
            throw new BadInputException("weightDecay", "Enter a number, 0 for none");
        }
        if (warmup.isInvalid()) {
            throw new BadInputException("warmupEpochs", "Enter a whole number of epochs, 0 for none");
        }
        for (Map.Entry<String, IntegerField> size : Map.of("imageChannels", imageChannels, "imageHeight",
                imageHeight, "imageWidth", imageWidth, "embeddingSize", embeddingSize, "attentionHeads",
                attentionHeads, "encoderLayers", encoderLayers, "maxTokens", maxTokens, "vocabularySize",
                vocabularySize, "augmentation.shift", shift).entrySet()) {
            IntegerField field = size.getValue();
            if (field.isVisible() && (field.isInvalid() || field.isEmpty())) {
                throw new BadInputException(size.getKey(), "Enter a whole number");
            }
        }
        for (Map.Entry<String, NumberField> share : Map.of("augmentation.rotation", rotation, "augmentation.noise",
                noise, "augmentation.tokenDropout", tokenDropout, "augmentation.tokenSwap", tokenSwap).entrySet()) {
            if (share.getValue().isInvalid()) {
                throw new BadInputException(share.getKey(), "Enter a number");
            }
        }
        List<Integer> layers = new ArrayList<>();
        for (String part : hiddenLayers.getValue().split(",")) {
            if (!part.isBlank()) {
                try {
                    layers.add(Integer.parseInt(part.strip()));
                } catch (NumberFormatException e) {
                    throw new BadInputException("hiddenLayers", "“" + part.strip() + "” is not a whole number");
                }
            }
        }
        return new Hyperparameters(template.getValue(), optimizer.getValue(),
                learningRate.getValue() == null ? 0 : learningRate.getValue(),
                batchSize.getValue() == null ? 0 : batchSize.getValue(), epochs.getValue() == null ? 0 : epochs.getValue(),
                layers, activation.getValue(), dropout.getValue() == null ? 0 : dropout.getValue(),
                patience.getValue() == null ? 0 : patience.getValue(), seed.getValue() == null ? 42 : seed.getValue(),
                number(imageWidth), number(imageHeight), number(imageChannels), number(embeddingSize),
                number(attentionHeads), number(encoderLayers), number(maxTokens), number(vocabularySize),
                augmentation(), number(weightDecay), rateSchedule.getValue(), number(warmup),
                classWeights.isVisible() ? classWeights.getValue() : ClassWeights.OFF);
    }

    private static int number(IntegerField field) {
        return field.getValue() == null ? 0 : field.getValue();
    }

    private static double number(NumberField field) {
        return field.getValue() == null ? 0 : field.getValue();
    }

    /** The augmentation fields that apply to this template and task; null (none) when all are off. */
    private Augmentation augmentation() {
        Augmentation a = new Augmentation(shift.isVisible() ? number(shift) : 0,
                rotation.isVisible() ? number(rotation) : 0, noise.isVisible() ? number(noise) : 0,
                oversample.isVisible() && oversample.getValue(), tokenDropout.isVisible() ? number(tokenDropout) : 0,
                tokenSwap.isVisible() ? number(tokenSwap) : 0);
        return a.on() ? a : null;
    }
}
