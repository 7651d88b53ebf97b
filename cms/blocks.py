"""StreamField blocks editors use on pages."""

from django.conf import settings
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from .council import CouncilDetails


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    link = blocks.URLBlock(
        help_text="A page on this site (/forums/old-mill/) or another site."
    )

    class Meta:
        icon = "link"
        template = "cms/blocks/call_to_action.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        required=False, help_text="Describe the image for people who cannot see it."
    )
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"


class CouncilTextBlock(blocks.StaticBlock):
    """A text written once for every council (in a template, in English and Welsh),
    filled in from the site's council details."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        request = (parent_context or {}).get("request")
        context["council"] = (
            CouncilDetails.for_request(request) if request else CouncilDetails()
        )
        context["session_days"] = settings.SESSION_COOKIE_AGE // 86400
        return context


class PrivacyNoticeBlock(CouncilTextBlock):
    class Meta:
        icon = "lock"
        label = "Privacy notice (the platform's, with the council's details)"
        admin_text = (
            "The privacy notice: what is stored, why, for how long, who sees it."
        )
        template = "cms/blocks/privacy_notice.html"


class AccessibilityStatementBlock(CouncilTextBlock):
    class Meta:
        icon = "user"
        label = "Accessibility statement (GOV.UK model, with the council's details)"
        admin_text = "The accessibility statement, in the GOV.UK model's sections."
        template = "cms/blocks/accessibility_statement.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="cms/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3"]
    )
    image = ImageBlock()
    call_to_action = CallToActionBlock()
    quote = blocks.BlockQuoteBlock()
    privacy_notice = PrivacyNoticeBlock()
    accessibility_statement = AccessibilityStatementBlock()
