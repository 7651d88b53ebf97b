"""StreamField blocks editors use on pages."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


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
